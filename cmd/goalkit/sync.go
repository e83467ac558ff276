package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/goalkit/goalkit/adapters/bitrix24/b24cmd"
)

// connectors are the systems `goalkit sync` and `goalkit directory` read.
var connectors = map[string]struct {
	sync, directory func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}{
	"bitrix24": {b24cmd.Sync, b24cmd.Directory},
}

func runSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runConnector("sync", ctx, args, stdout, stderr)
}

func runDirectory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runConnector("directory", ctx, args, stdout, stderr)
}

func runConnector(verb string, ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" {
		fmt.Fprintf(stderr, "usage: goalkit %s SYSTEM [flags]\n\nsystems: bitrix24\n", verb)
		if len(args) == 0 {
			return errUsage
		}
		return flag.ErrHelp
	}
	c, ok := connectors[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "goalkit %s: unknown system %q (known: bitrix24)\n", verb, args[0])
		return errUsage
	}
	run := c.sync
	if verb == "directory" {
		run = c.directory
	}
	err := run(ctx, args[1:], stdout, stderr)
	if errors.Is(err, b24cmd.ErrUsage) {
		fmt.Fprintf(stderr, "goalkit %s: %v\n", verb, err)
		return errUsage
	}
	return err
}
