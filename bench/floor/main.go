// Command floor is the start-up floor of the design card: cobra and
// lipgloss v2 linked and used, nothing of smtpcode's. The lookup benchmark
// reports it beside the hello world, to tell smtpcode's own cost from the
// libraries'.
package main

import (
	"os"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{
		Use: "floor",
		RunE: func(cmd *cobra.Command, args []string) error {
			w := &colorprofile.Writer{Forward: os.Stdout, Profile: colorprofile.NoTTY}
			_, err := w.Write([]byte(lipgloss.NewStyle().Bold(true).Render("502 Command not implemented") + "\n"))
			return err
		},
	}
	if err := root.Execute(); err != nil {
		os.Exit(2)
	}
}
