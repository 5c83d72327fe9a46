package snippets

// The Go server snippets use go-smtp; requiring it here keeps it, at the
// version the snippets are verified against, in go.mod and go.sum for
// goBuild.
import (
	_ "github.com/emersion/go-sasl"
	_ "github.com/emersion/go-smtp"
)

const (
	goSMTPVersion = "v0.25.1"
	goSASLVersion = "v0.0.0-20241020182733-b788ff22d5a6"
)
