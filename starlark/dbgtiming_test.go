package starlark
import ("testing";"os";"time";"context";"fmt";"runtime")
func TestDbgTiming(t *testing.T) {
	dir := os.Getenv("SYNTHDIR")
	for i := 0; i < 5; i++ {
		runtime.GC()
		var r0, r1 runtime.MemStats
		runtime.ReadMemStats(&r0)
		start := time.Now()
		c0 := processCPU()
		_, err := Evaluate(context.Background(), os.DirFS(dir))
		if err != nil { t.Fatal(err) }
		runtime.ReadMemStats(&r1)
		fmt.Printf("wall %v cpu %v gcs %d alloc %dMB\n", time.Since(start), processCPU()-c0, r1.NumGC-r0.NumGC, (r1.TotalAlloc-r0.TotalAlloc)>>20)
	}
}
