package starlark

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

func TestDbgTiming(t *testing.T) {
	dir := os.Getenv("SYNTHDIR")
	if dir == "" {
		t.Skip()
	}
	for i := 0; i < 5; i++ {
		runtime.GC()
		var r0, r1, r2 runtime.MemStats
		runtime.ReadMemStats(&r0)
		start := time.Now()
		c0 := processCPU()
		m, err := Evaluate(context.Background(), os.DirFS(dir))
		if err != nil {
			t.Fatal(err)
		}
		wall, cpu := time.Since(start), processCPU()-c0
		runtime.ReadMemStats(&r1)
		runtime.GC()
		runtime.ReadMemStats(&r2)
		fmt.Printf("wall %v cpu %v gcs %d alloc %dMB mallocs %d sys %dMB live-after %dMB\n", wall, cpu, r1.NumGC-r0.NumGC, (r1.TotalAlloc-r0.TotalAlloc)>>20, r1.Mallocs-r0.Mallocs, r1.HeapSys>>20, r2.HeapAlloc>>20)
		runtime.KeepAlive(m)
	}
}
