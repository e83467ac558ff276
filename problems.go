package goalkit

import "github.com/goalkit/goalkit/problem"

// CompileError is the error Compile returns: every problem of a definition,
// sorted by path. Use errors.As to get it, and its Problems for each one.
type CompileError = problem.Error

// Problem is one thing wrong with a definition: its FILE:LINE when read
// from a file, its path (indicators[1].where), a Code and a message.
type Problem = problem.Problem
