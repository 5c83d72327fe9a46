package mock_test

import (
	"context"
	"errors"
	"fmt"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/smtpcode/smtpcode/mock"
)

// A test of code that sends mail: the mock refuses one recipient, and the
// test checks what the code did with that and what the server received.
func Example() {
	srv := mock.NewServer("RCPT:*@full.example=452 4.2.2 Mailbox full")
	defer srv.Close()

	err := smtp.SendMail(srv.Addr, nil, "app@example.com", []string{"bob@full.example"}, []byte("Subject: hi\r\n\r\nhello\r\n"))
	fmt.Println("full mailbox:", err)

	err = smtp.SendMail(srv.Addr, nil, "app@example.com", []string{"alice@example.com"}, []byte("Subject: hi\r\n\r\nhello\r\n"))
	fmt.Println("other mailbox:", err)

	for _, m := range srv.Messages() {
		fmt.Printf("received from %s for %v, %d octets\n", m.From, m.To, m.Size)
	}
	// Output:
	// full mailbox: 452 "4.2.2 Mailbox full"
	// other mailbox: <nil>
	// received from app@example.com for [alice@example.com], 22 octets
}

// Without any rule, the address picks the reply: CODE-X.Y.Z@mock.test.
func ExampleNewServer() {
	srv := mock.NewServer()
	defer srv.Close()
	c, err := smtp.Dial(srv.Addr)
	if err != nil {
		panic(err)
	}
	defer c.Close()
	c.Mail("app@example.com")
	err = c.Rcpt("550-5.1.1@mock.test")
	var te *textproto.Error
	if errors.As(err, &te) {
		fmt.Println(te.Code, strings.Fields(te.Msg)[0])
	}
	// Output:
	// 550 5.1.1
}

// "Fail, then succeed on retry": the first attempt for each recipient is
// greylisted, the retry on a new connection is accepted, and the test
// waits for it.
func ExampleServer_WaitMessages() {
	srv := mock.NewServer("RCPT/1/each=451 4.7.1 Greylisted, try again later")
	defer srv.Close()
	msg := []byte("Subject: hi\r\n\r\nhello\r\n")
	for attempt := 1; attempt <= 2; attempt++ {
		err := smtp.SendMail(srv.Addr, nil, "app@example.com", []string{"bob@example.com"}, msg)
		fmt.Printf("attempt %d: %v\n", attempt, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msgs, err := srv.WaitMessages(ctx, 1)
	fmt.Println(len(msgs), "accepted", err)
	// Output:
	// attempt 1: 451 "4.7.1 Greylisted, try again later"
	// attempt 2: <nil>
	// 1 accepted <nil>
}
