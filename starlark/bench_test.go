package starlark

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// synthShape is the synthetic model's shape of docs/PERFORMANCE.md: Z zones,
// T teams per zone, S stores per team, D datasets per store, C columns per
// dataset, W workspaces per team, K sinks per workspace.
type synthShape struct{ Z, T, S, D, C, W, K int }

var (
	shapeSmall  = synthShape{1, 2, 5, 10, 10, 5, 5}
	shapeMedium = synthShape{2, 10, 10, 10, 10, 10, 5}
	shapeLarge  = synthShape{4, 25, 10, 10, 10, 10, 5}
	shapeXLarge = synthShape{4, 25, 100, 10, 10, 10, 5}
)

// synthModel writes a stand-in of the synthetic model (examples/synthetic
// writes the real one): one file per team with every column written out as
// its own column() call, one file per zone, and eco.star.
func synthModel(s synthShape) fstest.MapFS {
	fsys := fstest.MapFS{}
	var eco strings.Builder
	total := s.Z * s.T * s.S * s.D
	for z := range s.Z {
		fmt.Fprintf(&eco, "load(\"//zones/Z%d.star\", Z%d = \"z\")\n", z, z)
	}
	eco.WriteString(`ecosystem("SynthEco", repo = repo("github.com/synth/eco", branch = "eco_main"), live_repo = repo("github.com/synth/eco", branch = "live"),
    vendors = [vendor("MyCorp", cloud = "private", doc = "private cloud", locations = [location("USA", locations = [location("NY_1")])])],
    platforms = [platform("Governance", kind = "governance")],
    zones = [`)
	for z := range s.Z {
		fmt.Fprintf(&eco, "Z%d, ", z)
	}
	eco.WriteString("],\n)\n")
	fsys["eco.star"] = &fstest.MapFile{Data: []byte(eco.String())}
	for z := range s.Z {
		var zb strings.Builder
		for t := range s.T {
			fmt.Fprintf(&zb, "load(\"//teams/Z%d_T%d.star\", T%d = \"t\")\n", z, t, t)
		}
		fmt.Fprintf(&zb, "z = zone(\"Z%d\", repo = repo(\"github.com/synth/eco\", branch = \"Z%d_main\"), teams = [", z, z)
		for t := range s.T {
			fmt.Fprintf(&zb, "T%d, ", t)
		}
		zb.WriteString("])\n")
		fsys[fmt.Sprintf("zones/Z%d.star", z)] = &fstest.MapFile{Data: []byte(zb.String())}
		for t := range s.T {
			var tb strings.Builder
			fmt.Fprintf(&tb, "t = team(\"Z%d_T%d\", repo = repo(\"github.com/synth/eco\", branch = \"Z%d_T%d_main\"),\n    datastores = [\n", z, t, z, t)
			for st := range s.S {
				fmt.Fprintf(&tb, "        datastore(\"Z%d_T%d_S%d\",\n", z, t, st)
				tb.WriteString("            capture = sql_snapshot(source = postgres(\"src\", host = \"db\", locations = [\"MyCorp:USA/NY_1\"]), trigger = cron(\"0,15,30,45 * * * *\"), credential = credential(\"reader\")),\n")
				tb.WriteString("            datasets = [\n")
				for d := range s.D {
					fmt.Fprintf(&tb, "                dataset(\"ds%d\", classification = \"public\", columns = [\n", d)
					tb.WriteString("                    column(\"id\", \"integer\", key = True),\n")
					for c := 1; c < s.C; c++ {
						typ := [...]string{"float64", "varchar(50)", "integer", "date"}[c%4]
						fmt.Fprintf(&tb, "                    column(\"c%d\", \"%s\"),\n", c, typ)
					}
					tb.WriteString("                ]),\n")
				}
				tb.WriteString("            ],\n        ),\n")
			}
			tb.WriteString("    ],\n    workspaces = [\n")
			for w := range s.W {
				g := (z*s.T+t)*s.W + w
				fmt.Fprintf(&tb, "        workspace(\"WS_Z%d_T%d_W%d\", container = postgres(\"ws\", locations = [\"MyCorp:USA/NY_1\"]), groups = [dataset_group(\"dsg\", platform = \"Governance\", sinks = [\n", z, t, w)
				for k := range s.K {
					n := (g*7919 + k*104729) % total
					d := n % s.D
					st := (n / s.D) % s.S
					tt := (n / (s.D * s.S)) % s.T
					zz := n / (s.D * s.S * s.T)
					fmt.Fprintf(&tb, "            sink(\"Z%d_T%d_S%d\", \"ds%d\"),\n", zz, tt, st, d)
				}
				tb.WriteString("        ])]),\n")
			}
			tb.WriteString("    ],\n)\n")
			fsys[fmt.Sprintf("teams/Z%d_T%d.star", z, t)] = &fstest.MapFile{Data: []byte(tb.String())}
		}
	}
	return fsys
}

func benchmarkEvaluate(b *testing.B, s synthShape) {
	fsys := synthModel(s)
	size := 0
	for _, f := range fsys {
		size += len(f.Data)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		if _, err := Evaluate(context.Background(), fsys); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := processCPU() - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkEvaluateSmall(b *testing.B)  { benchmarkEvaluate(b, shapeSmall) }
func BenchmarkEvaluateMedium(b *testing.B) { benchmarkEvaluate(b, shapeMedium) }
func BenchmarkEvaluateLarge(b *testing.B)  { benchmarkEvaluate(b, shapeLarge) }
func BenchmarkEvaluateXLarge(b *testing.B) { benchmarkEvaluate(b, shapeXLarge) }

// BenchmarkExecuteLarge measures execution alone: the files are compiled
// once into a cache, whose executed modules are dropped before each run.
func BenchmarkExecuteLarge(b *testing.B) {
	fsys := synthModel(shapeLarge)
	cache := NewCache()
	if _, err := Evaluate(context.Background(), fsys, WithCache(cache)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		cache.mu.Lock()
		clear(cache.modules)
		cache.mu.Unlock()
		if _, err := Evaluate(context.Background(), fsys, WithCache(cache)); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := processCPU() - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
