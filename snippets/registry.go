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
	Version  string // the library version the tests verified it against
	Level    Level
	// Stages are where a server snippet can answer (StageConnect, ...):
	// the hooks the library gives an application.
	Stages []string
}

// frameworks is the registry. Adding a framework is a template
// templates/NAME.tmpl and a line here (and a runner in the tests).
var frameworks = []Framework{
	{Name: "go-smtp", Title: "Go go-smtp", Family: Server, Language: "go", Ext: "go", Library: "github.com/emersion/go-smtp", Version: "0.25.1", Level: Executed,
		// No hook before the 220 greeting: NewSession runs at EHLO. VRFY is
		// answered by go-smtp itself.
		Stages: []string{StageEHLO, StageAuth, StageMail, StageRcpt, StageDataEnd}},
	{Name: "aiosmtpd", Title: "Python aiosmtpd", Family: Server, Language: "python", Ext: "py", Library: "aiosmtpd", Version: "1.4.3", Level: Executed,
		// No hook before the greeting.
		Stages: []string{StageEHLO, StageAuth, StageVRFY, StageMail, StageRcpt, StageDataEnd}},
	{Name: "smtp-server", Title: "Node smtp-server", Family: Server, Language: "javascript", Ext: "js", Library: "smtp-server", Version: "3.21.6", Level: Executed,
		// No hook for EHLO or VRFY (answered by smtp-server itself).
		Stages: []string{StageConnect, StageAuth, StageMail, StageRcpt, StageDataEnd}},

	{Name: "smtplib", Title: "Python smtplib", Family: Client, Language: "python", Ext: "py", Library: "smtplib (standard library)", Version: "Python 3.11", Level: Executed},
	{Name: "net-smtp", Title: "Go net/smtp", Family: Client, Language: "go", Ext: "go", Library: "net/smtp (standard library)", Version: "Go 1.26", Level: Executed},
	{Name: "nodemailer", Title: "Node nodemailer", Family: Client, Language: "javascript", Ext: "js", Library: "nodemailer", Version: "10.6.1", Level: Executed},
	{Name: "jakarta-mail", Title: "Jakarta Mail", Family: Client, Language: "java", Ext: "java", Library: "Jakarta Mail (com.sun.mail)", Version: "2.0.0", Level: Executed},
	{Name: "system-net-mail", Title: "System.Net.Mail", Family: Client, Language: "c#", Ext: "cs", Library: "System.Net.Mail.SmtpClient", Version: "Mono 6.8.0", Level: Executed},
	{Name: "phpmailer", Title: "PHPMailer", Family: Client, Language: "php", Ext: "php", Library: "PHPMailer", Version: "6.6.3", Level: Executed},
	{Name: "ruby-net-smtp", Title: "Ruby Net::SMTP", Family: Client, Language: "ruby", Ext: "rb", Library: "net-smtp", Version: "0.3.1", Level: Executed},
	{Name: "go-smtp-client", Title: "Go go-smtp client", Family: Client, Language: "go", Ext: "go", Library: "github.com/emersion/go-smtp", Version: "0.25.1", Level: Executed},
	{Name: "mailkit", Title: "MailKit", Family: Client, Language: "c#", Ext: "cs", Library: "MailKit SmtpClient", Version: "", Level: Parsed},
	{Name: "lettre", Title: "Rust lettre", Family: Client, Language: "rust", Ext: "rs", Library: "lettre 0.11 SmtpTransport", Version: "", Level: Parsed},

	{Name: "flask", Title: "Flask", Family: Web, Language: "python", Ext: "py", Library: "Flask", Version: "2.2.2", Level: Executed},
	{Name: "fastapi", Title: "FastAPI", Family: Web, Language: "python", Ext: "py", Library: "FastAPI", Version: "0.92.0", Level: Executed},
	{Name: "django", Title: "Django", Family: Web, Language: "python", Ext: "py", Library: "Django", Version: "3.2.25", Level: Executed},
	{Name: "express", Title: "Express", Family: Web, Language: "javascript", Ext: "js", Library: "express + nodemailer", Version: "5.3.0", Level: Executed},
	{Name: "go-net-http", Title: "Go net/http", Family: Web, Language: "go", Ext: "go", Library: "net/http + net/smtp (standard library)", Version: "Go 1.26", Level: Executed},
	{Name: "rails", Title: "Ruby on Rails", Family: Web, Language: "ruby", Ext: "rb", Library: "Rails + net-smtp", Version: "6.1.7", Level: Executed},
	{Name: "spring-boot", Title: "Spring Boot", Family: Web, Language: "java", Ext: "java", Library: "Spring Boot 3 + Jakarta Mail", Version: "", Level: Parsed},
	{Name: "aspnet-core", Title: "ASP.NET Core", Family: Web, Language: "c#", Ext: "cs", Library: "ASP.NET Core minimal API + MailKit", Version: "", Level: Parsed},
}

// Frameworks returns the registry, grouped by family, in display order.
func Frameworks() []Framework { return slices.Clone(frameworks) }

// Find returns the framework with this name (case-insensitive).
func Find(name string) (Framework, bool) {
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
