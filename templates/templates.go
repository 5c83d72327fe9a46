// Package templates holds the snippet templates, one text/template per
// framework, named NAME.tmpl after the framework (see package snippets).
package templates

import "embed"

// FS holds every template.
//
//go:embed *.tmpl
var FS embed.FS
