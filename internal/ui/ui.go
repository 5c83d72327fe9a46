// Package ui holds smtpcode's palette and styles. The palette uses the
// terminal's 16 ANSI colours, so it follows the user's theme, dark or light;
// the theme only picks which of them read well as accents.
package ui

import (
	"image/color"

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

// Styles is built once per run and passed to whatever renders.
type Styles struct {
	Palette Palette
	Title   lipgloss.Style
	Heading lipgloss.Style
	Label   lipgloss.Style
	Muted   lipgloss.Style
	Code    lipgloss.Style
	Accent  lipgloss.Style
	Warn    lipgloss.Style
	Client  lipgloss.Style
	Server  lipgloss.Style
	Link    lipgloss.Style
}

// NewStyles builds the styles for a theme.
func NewStyles(t Theme) *Styles {
	p := NewPalette(t)
	return &Styles{
		Palette: p,
		Title:   lipgloss.NewStyle().Bold(true),
		Heading: lipgloss.NewStyle().Bold(true).Foreground(p.Accent),
		Label:   lipgloss.NewStyle().Bold(true),
		Muted:   lipgloss.NewStyle().Foreground(p.Muted),
		Code:    lipgloss.NewStyle().Bold(true).Foreground(p.Code),
		Accent:  lipgloss.NewStyle().Foreground(p.Accent),
		Warn:    lipgloss.NewStyle().Foreground(p.Transient),
		Client:  lipgloss.NewStyle().Foreground(p.Client),
		Server:  lipgloss.NewStyle().Foreground(p.Server),
		Link:    lipgloss.NewStyle().Foreground(p.Muted),
	}
}

// ClassText styles text in a class's colour.
func (s *Styles) ClassText(class int) lipgloss.Style {
	return lipgloss.NewStyle().Bold(true).Foreground(s.Palette.ClassColor(class))
}

// Badge is a class badge: " 5xx permanent " on the class's colour.
func (s *Styles) Badge(class int) lipgloss.Style {
	return lipgloss.NewStyle().Bold(true).Padding(0, 1).
		Foreground(s.Palette.BadgeText).Background(s.Palette.ClassColor(class))
}
