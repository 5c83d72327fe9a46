package main

import (
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/internal/i18n"
)

// completeCodes completes catalogue codes, with their titles as the
// description shells show beside them. A registry entry (X.7.1) completes
// also under every class it applies to (4.7.1, 5.7.1), so that "5.7.<TAB>"
// offers the registry's codes beside the providers' own.
func (a *app) completeCodes(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	return completeCodesIn(a.lang, prefix)
}

// completeCodesIn completes codes with their titles in the language.
func completeCodesIn(tr i18n.Lang, prefix string) ([]string, cobra.ShellCompDirective) {
	low := strings.ToLower(prefix)
	var out []string
	seen := map[string]bool{}
	add := func(code, title string) {
		if !seen[code] && strings.HasPrefix(strings.ToLower(code), low) {
			seen[code] = true
			out = append(out, code+"\t"+title)
		}
	}
	all := codes.All()
	// A class digit first: the codes of that class, registry ones included.
	if len(prefix) > 0 && prefix[0] >= '2' && prefix[0] <= '5' && strings.Contains(prefix, ".") {
		class := int(prefix[0] - '0')
		for i := range all {
			e := &all[i]
			// A provider's dialect is shown under its registry code's page.
			if e.Kind != codes.Enhanced || e.IsDialect() {
				continue
			}
			switch {
			case strings.HasPrefix(e.Code, "X.") && !strings.Contains(e.Code, "XXX"):
				// Any registry detail may come as a transient or a
				// permanent failure (RFC 3463 §3); success as its basic
				// codes say.
				if class == 4 || class == 5 || slices.Contains(entryClasses(e), class) {
					add(strconv.Itoa(class)+e.Code[1:], shortTitle(tr, e))
				}
			case !e.Standard && !e.IsDialect():
				// A provider's dialect is shown under its registry
				// code's page, not offered as a code of its own.
				add(e.Code, shortTitle(tr, e))
			}
		}
		sortCodes(out)
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	for i := range all {
		if !all[i].IsDialect() {
			add(all[i].Code, shortTitle(tr, &all[i]))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// sortCodes orders completions by code, numerically part by part: 5.7.1,
// 5.7.2, ..., 5.7.26, 5.7.708.
func sortCodes(cs []string) {
	key := func(c string) []int {
		code, _, _ := strings.Cut(c, "\t")
		var k []int
		for _, p := range strings.Split(code, ".") {
			n, err := strconv.Atoi(strings.Split(p, "-")[0])
			if err != nil {
				n = 1 << 30
			}
			k = append(k, n)
		}
		return k
	}
	slices.SortStableFunc(cs, func(a, b string) int { return slices.Compare(key(a), key(b)) })
}
