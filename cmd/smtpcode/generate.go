package main

// The man pages in docs/man, from the command tree; the generator is built
// only with the mangen tag (mangen.go), so smtpcode itself never links it.
//go:generate go run -tags mangen . __mangen ../../docs/man
