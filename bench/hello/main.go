// Command hello is the baseline of the start-up benchmark: a static Go
// binary that prints one line.
package main

import "os"

func main() { os.Stdout.WriteString("hello, world\n") }
