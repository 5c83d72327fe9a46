// Package ui holds smtpcode's palette and styles. The palette uses the
// terminal's 16 ANSI colours, so it follows the user's theme, dark or light;
// the theme only picks which of them read well as accents.
package ui

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
)

// Theme is the terminal background the styles are built for.
type Theme string

const (
	Dark  Theme = "dark"
	Light Theme = "light"
)

// Palette is the set of colours everything styled is drawn with.
type Palette struct {
	Success, Intermediate, Transient, Permanent color.Color
	Accent, Muted, Code, Client, Server         color.Color
	BadgeText                                   color.Color
}

// NewPalette returns the palette for a theme.
func NewPalette(t Theme) Palette {
	p := Palette{
		Success:      lipgloss.Green,
		Intermediate: lipgloss.Blue,
		Transient:    lipgloss.Yellow,
		Permanent:    lipgloss.Red,
		Accent:       lipgloss.Cyan,
		Muted:        lipgloss.BrightBlack,
		Code:         lipgloss.Magenta,
		Client:       lipgloss.Cyan,
		Server:       lipgloss.Green,
		BadgeText:    lipgloss.Black,
	}
	if t == Light {
		// Cyan washes out on white; blue reads as the accent there, and the
		// badges take white text on their class colour.
		p.Accent = lipgloss.Blue
		p.BadgeText = lipgloss.BrightWhite
	}
	return p
}

// ClassColor is the colour of a reply class: 2 green, 3 blue, 4 yellow,
// 5 red; muted for "any class".
func (p Palette) ClassColor(class int) color.Color {
	switch class {
	case 2:
		return p.Success
	case 3:
		return p.Intermediate
	case 4:
		return p.Transient
	case 5:
		return p.Permanent
	}
	return p.Muted
}

// Style is a lipgloss style that plain output skips. Without colour every
// escape is stripped on the way out anyway, and lipgloss's Render, run for
// each styled word of a page, cost a piped lookup a tenth of its time.
type Style struct {
	lipgloss.Style
	plain bool
}

// Render renders the strings, joined by spaces, as lipgloss does. Plain, a
// single line comes back as lipgloss would write it once its escapes are
// stripped: tabs as four spaces. Several lines go through lipgloss, which
// pads them to one width.
func (s Style) Render(strs ...string) string {
	if s.plain {
		str := strings.Join(strs, " ")
		if !strings.Contains(str, "\n") {
			return strings.ReplaceAll(str, "\t", "    ")
		}
	}
	return s.Style.Render(strs...)
}

// Styles is built once per run and passed to whatever renders.
type Styles struct {
	Palette Palette
	Title   Style
	Heading Style
	Label   Style
	Muted   Style
	Code    Style
	Accent  Style
	Warn    Style
	Client  Style
	Server  Style
	Link    Style
	plain   bool
}

// NewStyles builds the styles for a theme; plain ones for output without
// colour.
func NewStyles(t Theme, plain bool) *Styles {
	p := NewPalette(t)
	st := func(l lipgloss.Style) Style { return Style{Style: l, plain: plain} }
	return &Styles{
		Palette: p,
		Title:   st(lipgloss.NewStyle().Bold(true)),
		Heading: st(lipgloss.NewStyle().Bold(true).Foreground(p.Accent)),
		Label:   st(lipgloss.NewStyle().Bold(true)),
		Muted:   st(lipgloss.NewStyle().Foreground(p.Muted)),
		Code:    st(lipgloss.NewStyle().Bold(true).Foreground(p.Code)),
		Accent:  st(lipgloss.NewStyle().Foreground(p.Accent)),
		Warn:    st(lipgloss.NewStyle().Foreground(p.Transient)),
		Client:  st(lipgloss.NewStyle().Foreground(p.Client)),
		Server:  st(lipgloss.NewStyle().Foreground(p.Server)),
		Link:    st(lipgloss.NewStyle().Foreground(p.Muted)),
		plain:   plain,
	}
}

// ClassText styles text in a class's colour.
func (s *Styles) ClassText(class int) Style {
	return Style{Style: lipgloss.NewStyle().Bold(true).Foreground(s.Palette.ClassColor(class)), plain: s.plain}
}

// Badge is a class badge: " 5xx permanent " on the class's colour. Its
// padding shows in plain output too, so it always goes through lipgloss.
func (s *Styles) Badge(class int) lipgloss.Style {
	text := s.Palette.BadgeText
	if class == 4 {
		// White on yellow cannot be read; black on yellow can, on any
		// background.
		text = lipgloss.Black
	}
	return lipgloss.NewStyle().Bold(true).Padding(0, 1).
		Foreground(text).Background(s.Palette.ClassColor(class))
}
