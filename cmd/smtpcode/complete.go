package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/smtpcode/smtpcode/codes"
)

// completeCodes completes catalogue codes, with their titles as the
// description shells show beside them.
func completeCodes(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, e := range codes.All() {
		// A provider's dialect is shown under its registry code's page.
		if e.IsDialect() {
			continue
		}
		if strings.HasPrefix(strings.ToLower(e.Code), strings.ToLower(prefix)) {
			out = append(out, e.Code+"\t"+e.Title)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
