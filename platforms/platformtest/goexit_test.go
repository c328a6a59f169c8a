package platformtest

import "runtime"

// runtimeGoexit ends the calling goroutine, as testing.T.FailNow does.
func runtimeGoexit() { runtime.Goexit() }
