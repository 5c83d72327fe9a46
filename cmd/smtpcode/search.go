package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/smtpcode/smtpcode/codes"
	"github.com/smtpcode/smtpcode/internal/i18n"
)

type searchOptions struct {
	words string
	limit int
}

func newSearchCmd(a *app, runF func(*searchOptions) error) *cobra.Command {
	opts := &searchOptions{}
	cmd := &cobra.Command{
		Use:   "search WORDS...",
		Short: "Find codes by words: mailbox full, greylisting, dmarc",
		Long: `Rank the catalogue's entries by how well they match the words, over codes,
titles, meanings, real server texts and the words people use for them. Every
word must match. Piped, tab-separated lines (code, kind, class, standard,
title), best first; with --json one JSON object a line, with a score.`,
		Example: `  smtpcode search mailbox full
  smtpcode search greylisting
  smtpcode search tls required --json`,
		Args: needArgs("words to search for", "smtpcode search mailbox full"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.words = strings.Join(args, " ")
			if strings.TrimSpace(opts.words) == "" {
				return usageErrorf("give words to search for: smtpcode search mailbox full", "nothing to search for")
			}
			if opts.limit < 0 {
				return usageErrorf("", "invalid --limit %d", opts.limit)
			}
			if runF != nil {
				return runF(opts)
			}
			return searchRun(a, opts)
		},
	}
	cmd.Flags().IntVarP(&opts.limit, "limit", "n", 10, "show at most this many results (0: all)")
	return cmd
}

func searchRun(a *app, opts *searchOptions) error {
	var tr func(string) string
	if a.lang != i18n.English {
		tr = a.lang.T
	}
	hits := codes.SearchIn(opts.words, tr)
	if opts.limit > 0 && len(hits) > opts.limit {
		hits = hits[:opts.limit]
	}
	if a.opts.json {
		out := make([]entryJSON, 0, len(hits))
		for _, h := range hits {
			j := exportEntry(codes.Match{Entry: h.Entry}, codes.Result{})
			j.Score = h.Score
			a.addProse(&j, codes.Match{Entry: h.Entry}, codes.Result{})
			out = append(out, j)
		}
		if err := writeJSONLines(a.io.Out, out); err != nil {
			return err
		}
	} else if len(hits) > 0 {
		ms := make([]codes.Match, len(hits))
		for i, h := range hits {
			ms[i] = codes.Match{Entry: h.Entry}
		}
		printEntries(a, ms, nil)
	}
	if len(hits) == 0 {
		return &exitError{code: exitNotFound, err: fmt.Errorf("nothing matches %s", codes.Quote(opts.words)), hint: i18n.N("try fewer or other words, or smtpcode list")}
	}
	return nil
}
