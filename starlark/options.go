package starlark

import (
	"time"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// DefaultEntry is the file a model starts from, at the root of the model's file system.
const DefaultEntry = "eco.star"

// DefaultMaxSteps is the default step limit of each file's execution. A step
// is one Starlark bytecode instruction; a column() call written out costs
// about ten, so the default leaves room for models far larger than the
// 1,000,000-column synthetic shape while still stopping a runaway loop in
// seconds.
const DefaultMaxSteps uint64 = 1_000_000_000

// DefaultTimeout is the default wall-time limit of a whole evaluation.
const DefaultTimeout = 60 * time.Second

// DefaultMaxFileSize is the default size limit of one model file: 4 MiB is
// about 40,000 columns written out, far more than a team's file needs, and
// small enough that reading and compiling it cannot exhaust memory.
const DefaultMaxFileSize int64 = 4 << 20

// Option configures Evaluate.
type Option func(*config)

type config struct {
	entry       string
	maxSteps    uint64
	timeout     time.Duration
	maxFileSize int64
	maxMemory   int64
	maxTotal    int64
	cache       *Cache
	print       func(pos ecosystem.Pos, msg string)
	// onCompile and onExecute, when set, are told the path of every file
	// actually compiled and every module actually executed (not taken from
	// the cache); tests use them to check what a change recomputes. They
	// may be called from several goroutines at once.
	onCompile func(path string)
	onExecute func(path string)
}

func newConfig(opts []Option) *config {
	c := &config{entry: DefaultEntry, maxSteps: DefaultMaxSteps, timeout: DefaultTimeout, maxFileSize: DefaultMaxFileSize, maxMemory: DefaultMaxMemory, maxTotal: DefaultMaxTotalMemory}
	for _, o := range opts {
		o(c)
	}
	return c
}

// WithEntry sets the file the model starts from, a slash-separated path
// relative to the root of the file system (default "eco.star"). Loads with a
// leading "//" are relative to the root, not to the entry.
func WithEntry(path string) Option { return func(c *config) { c.entry = path } }

// WithMaxSteps limits the number of Starlark steps (bytecode instructions)
// each file's execution may take, including the functions it calls. Zero
// means DefaultMaxSteps. A file that exceeds it fails with EVAL_STEP_LIMIT.
func WithMaxSteps(n uint64) Option {
	return func(c *config) {
		if n == 0 {
			n = DefaultMaxSteps
		}
		c.maxSteps = n
	}
}

// WithTimeout limits the wall time of the whole evaluation (default
// DefaultTimeout). Zero or less means DefaultTimeout. An evaluation that
// exceeds it fails with EVAL_TIMEOUT; cancelling the context passed to
// Evaluate stops it too, and Evaluate then returns the context's error.
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			d = DefaultTimeout
		}
		c.timeout = d
	}
}

// WithMaxFileSize limits the size in bytes of each model file (default
// DefaultMaxFileSize). Zero or less means DefaultMaxFileSize. A larger file
// is not read: it is reported with LOAD_UNREADABLE at the load() naming it.
func WithMaxFileSize(n int64) Option {
	return func(c *config) {
		if n <= 0 {
			n = DefaultMaxFileSize
		}
		c.maxFileSize = n
	}
}

// DefaultMaxMemory is the default memory budget of each file's execution
// (see WithMaxMemory). The largest synthetic model (a million columns,
// docs/PERFORMANCE.md) charges about 3 MiB per team file; 512 MiB is far
// more than a model file needs, and small enough that a runaway file is
// stopped before it can exhaust the machine.
const DefaultMaxMemory int64 = 512 << 20

// WithMaxMemory sets the memory budget of each file's execution (default
// DefaultMaxMemory; zero or less means the default): what the values it
// builds are charged, before they are built when their size is known (see
// docs/LANGUAGE.md for what is charged). An operation that would pass the
// budget fails with EVAL_MEMORY_LIMIT at its position; so does one that
// would traverse a value reaching more elements than the budget holds (a
// value whose parts are shared over and over).
func WithMaxMemory(n int64) Option {
	return func(c *config) {
		if n <= 0 {
			n = DefaultMaxMemory
		}
		c.maxMemory = n
	}
}

// DefaultMaxTotalMemory is the default memory budget of a whole evaluation
// (see WithMaxTotalMemory): the million-column synthetic model charges
// about 300 MiB in all, and 2 GiB of values, with what the garbage
// collector keeps around them, fits the smallest machines that run CI.
const DefaultMaxTotalMemory int64 = 2 << 30

// WithMaxTotalMemory sets the memory budget of a whole evaluation, all its
// files together (default DefaultMaxTotalMemory; zero or less means the
// default), so that a model cannot exhaust the machine by spreading its
// values over many files, each within its own budget. An evaluation whose
// files build more fails with one EVAL_MEMORY_LIMIT finding at the entry
// file, whatever else happened: files run in parallel, so which of them was
// running when the total passed the budget is chance, while whether it did
// is not.
func WithMaxTotalMemory(n int64) Option {
	return func(c *config) {
		if n <= 0 {
			n = DefaultMaxTotalMemory
		}
		c.maxTotal = n
	}
}

// WithCache shares compiled files and executed modules with other
// evaluations that use the same Cache (see Cache).
func WithCache(cache *Cache) Option { return func(c *config) { c.cache = cache } }

// WithPrint receives the output of print() in model code, with the position
// of the print call. Without it, print output is discarded. Calls are made
// after execution, from one goroutine, in the order a sequential evaluation
// would have printed (each file after the files it loads), so the output is
// deterministic.
func WithPrint(f func(pos ecosystem.Pos, msg string)) Option {
	return func(c *config) { c.print = f }
}
