package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/goalkit/goalkit/adapters/bitrix24/b24cmd"
)

// connectors are the systems `goalkit sync` and `goalkit directory` read,
// and `goalkit act` acts in.
var connectors = map[string]struct {
	sync, directory, act func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}{
	"bitrix24": {b24cmd.Sync, b24cmd.Directory, b24cmd.Act},
}

func runSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runConnector("sync", ctx, args, stdout, stderr)
}

func runDirectory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runConnector("directory", ctx, args, stdout, stderr)
}

func runAct(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runConnector("act", ctx, args, stdout, stderr)
}

func runConnector(verb string, ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || isHelp(args[0]) {
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
	switch verb {
	case "directory":
		run = c.directory
	case "act":
		run = c.act
	}
	err := run(ctx, args[1:], stdout, stderr)
	if errors.Is(err, b24cmd.ErrUsage) {
		fmt.Fprintf(stderr, "goalkit %s: %v\n", verb, err)
		return errUsage
	}
	return err
}
