// Package snippets renders code that returns, handles or surfaces an SMTP
// reply, one template per framework (in templates/), with the reply's data
// from the catalogue; and says how an HTTP API should surface the reply.
package snippets

import (
	"slices"
	"strings"
)

// Family is what a snippet does with the reply.
type Family string

const (
	// Server makes an SMTP server answer with the reply.
	Server Family = "server"
	// Client detects and handles the reply when sending.
	Client Family = "client"
	// Web surfaces the reply, met upstream, from an HTTP API.
	Web Family = "web"
)

// Families in display order.
var Families = []Family{Server, Client, Web}

// Level is how far a framework's snippets are verified by the tests.
type Level string

const (
	// Executed: every representative code runs in the real runtime against
	// a real SMTP or HTTP conversation.
	Executed Level = "executed"
	// Compiled: the real compiler accepts every snippet, types included.
	Compiled Level = "compiled"
	// Parsed: a real parser of the language accepts every snippet; names
	// from the library are not checked.
	Parsed Level = "parsed"
)

// Framework is one library or framework a snippet is written for.
type Framework struct {
	Name     string // what users type: "flask"
	Title    string // what people call it: "Flask"
	Family   Family
	Language string // the chroma lexer and the language's name: "python"
	Ext      string // file extension of the snippet: "py"
	Library  string // the package the snippet uses: "Flask"
	// Versions are every version of the library (or runtime) the tests
	// verify the snippets on, at Level; the runtime tests check that each
	// is what really ran.
	Versions []Version
	Level    Level
	// Note says what limits the verification: why a framework is only
	// parsed, or where it falls back to parsing.
	Note string
	// Stages are where a server snippet can answer (StageConnect, ...):
	// the hooks the library gives an application.
	Stages []string
}

// Version is one version of a library a framework's snippets are verified
// on, and where that version came from.
type Version struct {
	Version string // "3.1.3", "Go 1.26"
	Source  string // "Debian 12", "PyPI", "npm", "Maven Central", "crates.io", "Go module proxy"; "" for none
}

func (v Version) String() string {
	if v.Source == "" {
		return v.Version
	}
	return v.Version + " (" + v.Source + ")"
}

// VersionList is the versions, comma-separated: "2.2.2 (Debian 12), 3.1.3 (PyPI)".
func (f Framework) VersionList() string {
	s := make([]string, len(f.Versions))
	for i, v := range f.Versions {
		s[i] = v.String()
	}
	return strings.Join(s, ", ")
}

// Sources of library versions.
const (
	debian  = "Debian 12"
	pypi    = "PyPI"
	npm     = "npm"
	goProxy = "Go module proxy"
	maven   = "Maven Central"
	crates  = "crates.io"
)

func vs(pairs ...string) []Version {
	out := make([]Version, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Version{pairs[i], pairs[i+1]})
	}
	return out
}

// frameworks is the registry. Adding a framework is a template
// templates/NAME.tmpl and a line here (and a runner in the tests).
var frameworks = []Framework{
	{Name: "go-smtp", Title: "Go go-smtp", Family: Server, Language: "go", Ext: "go", Library: "github.com/emersion/go-smtp", Versions: vs("0.25.1", goProxy), Level: Executed,
		// No hook before the 220 greeting: NewSession runs at EHLO. VRFY is
		// answered by go-smtp itself.
		Stages: []string{StageEHLO, StageAuth, StageMail, StageRcpt, StageDataEnd}},
	{Name: "aiosmtpd", Title: "Python aiosmtpd", Family: Server, Language: "python", Ext: "py", Library: "aiosmtpd", Versions: vs("1.4.3", debian, "1.4.6", pypi), Level: Executed,
		// No hook before the greeting.
		Stages: []string{StageEHLO, StageAuth, StageVRFY, StageMail, StageRcpt, StageDataEnd}},
	{Name: "smtp-server", Title: "Node smtp-server", Family: Server, Language: "javascript", Ext: "js", Library: "smtp-server", Versions: vs("3.21.6", npm), Level: Executed,
		// No hook for EHLO or VRFY (answered by smtp-server itself).
		Stages: []string{StageConnect, StageAuth, StageMail, StageRcpt, StageDataEnd}},

	{Name: "smtplib", Title: "Python smtplib", Family: Client, Language: "python", Ext: "py", Library: "smtplib (standard library)", Versions: vs("Python 3.11", debian), Level: Executed},
	{Name: "go-net-smtp", Title: "Go net/smtp", Family: Client, Language: "go", Ext: "go", Library: "net/smtp (standard library)", Versions: vs("Go 1.26", ""), Level: Executed},
	{Name: "nodemailer", Title: "Node nodemailer", Family: Client, Language: "javascript", Ext: "js", Library: "nodemailer", Versions: vs("10.6.1", npm), Level: Executed},
	{Name: "jakarta-mail", Title: "Jakarta Mail", Family: Client, Language: "java", Ext: "java", Library: "Jakarta Mail (com.sun.mail)", Versions: vs("2.0.0", debian), Level: Executed},
	{Name: "system-net-mail", Title: "System.Net.Mail", Family: Client, Language: "c#", Ext: "cs", Library: "System.Net.Mail.SmtpClient", Versions: vs("Mono 6.8.0", debian), Level: Executed},
	{Name: "phpmailer", Title: "PHPMailer", Family: Client, Language: "php", Ext: "php", Library: "PHPMailer", Versions: vs("6.6.3", debian), Level: Executed},
	{Name: "ruby-net-smtp", Title: "Ruby Net::SMTP", Family: Client, Language: "ruby", Ext: "rb", Library: "net-smtp", Versions: vs("0.3.1", debian), Level: Executed},
	{Name: "go-smtp-client", Title: "Go go-smtp client", Family: Client, Language: "go", Ext: "go", Library: "github.com/emersion/go-smtp", Versions: vs("0.25.1", goProxy), Level: Executed},
	{Name: "mailkit", Title: "MailKit", Family: Client, Language: "c#", Ext: "cs", Library: "MailKit SmtpClient", Level: Parsed,
		Note: "by mcs --parse only: MailKit comes from NuGet, which the test machines do not reach; API checked against MailKit 4's source"},
	{Name: "lettre", Title: "Rust lettre", Family: Client, Language: "rust", Ext: "rs", Library: "lettre SmtpTransport", Versions: vs("0.11.23", crates), Level: Executed,
		Note: "where a Rust toolchain >= 1.85 (lettre 0.11.23's minimum) is on PATH; elsewhere parsed by rustfmt only (Debian 12's Rust is 1.63)"},

	{Name: "flask", Title: "Flask", Family: Web, Language: "python", Ext: "py", Library: "Flask", Versions: vs("2.2.2", debian, "3.1.3", pypi), Level: Executed},
	{Name: "fastapi", Title: "FastAPI", Family: Web, Language: "python", Ext: "py", Library: "FastAPI + uvicorn", Versions: vs("FastAPI 0.92.0 + uvicorn 0.17.6", debian, "FastAPI 0.165.0 + uvicorn 0.55.0", pypi), Level: Executed},
	{Name: "django", Title: "Django", Family: Web, Language: "python", Ext: "py", Library: "Django", Versions: vs("3.2.25", debian, "5.2.19", pypi),
		Note: "Django 6 needs Python >= 3.12; Debian 12's Python is 3.11, so 5.2 LTS is the newest Django the tests run", Level: Executed},
	{Name: "express", Title: "Express", Family: Web, Language: "javascript", Ext: "js", Library: "express + nodemailer", Versions: vs("express 5.3.0 + nodemailer 10.6.1", npm), Level: Executed},
	{Name: "go-net-http", Title: "Go net/http", Family: Web, Language: "go", Ext: "go", Library: "net/http + net/smtp (standard library)", Versions: vs("Go 1.26", ""), Level: Executed},
	{Name: "rails", Title: "Ruby on Rails", Family: Web, Language: "ruby", Ext: "rb", Library: "Rails + net-smtp", Versions: vs("6.1.7", debian), Level: Executed},
	{Name: "spring-boot", Title: "Spring Boot", Family: Web, Language: "java", Ext: "java", Library: "Spring Boot web + mail (Angus Mail)", Versions: vs("3.5.7", maven, "4.0.7", maven), Level: Executed},
	{Name: "aspnet-core", Title: "ASP.NET Core", Family: Web, Language: "c#", Ext: "cs", Library: "ASP.NET Core minimal API + MailKit", Level: Parsed,
		Note: "by mcs --parse only: ASP.NET Core and MailKit come from NuGet, which the test machines do not reach"},
}

// Frameworks returns the registry, grouped by family, in display order.
func Frameworks() []Framework { return slices.Clone(frameworks) }

// aliases are the names a framework had before: "net-smtp" was Go's
// library, which read as Ruby's gem of that name (ruby-net-smtp).
var aliases = map[string]string{"net-smtp": "go-net-smtp"}

// Find returns the framework with this name (case-insensitive), or with
// the name it had before.
func Find(name string) (Framework, bool) {
	if to, ok := aliases[strings.ToLower(name)]; ok {
		name = to
	}
	for _, f := range frameworks {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return Framework{}, false
}

// Names returns every framework's name, in registry order.
func Names() []string {
	out := make([]string, len(frameworks))
	for i, f := range frameworks {
		out[i] = f.Name
	}
	return out
}
