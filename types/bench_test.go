package types

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// benchValues returns n values spread log-uniformly over a format's range
// (and a little beyond), with random signs, so every path of the encoder
// (normal, subnormal, overflow) is exercised in proportion.
func benchValues(f *FloatFormat, n int) []float64 {
	r := rand.New(rand.NewPCG(13, 14))
	lo, hi := f.lowBinade()-2, f.emax+2
	if f.Wide() || f == Binary64 {
		lo, hi = -1074, 1023
	}
	out := make([]float64, n)
	for i := range out {
		x := math.Ldexp(1+r.Float64(), lo+r.IntN(hi-lo+1))
		if r.IntN(2) == 0 && f.Signed() {
			x = -x
		}
		out[i] = x
	}
	return out
}

var sinkU uint64
var sinkF float64

func BenchmarkEncode(b *testing.B) {
	for _, f := range FloatFormats() {
		vals := benchValues(f, 4096)
		b.Run(f.Name(), func(b *testing.B) {
			if f.Wide() {
				for i := 0; b.Loop(); i++ {
					w, _ := f.EncodeWords(vals[i&4095])
					sinkU += w[0]
				}
				return
			}
			for i := 0; b.Loop(); i++ {
				c, _ := f.Encode(vals[i&4095])
				sinkU += c
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, f := range FloatFormats() {
		vals := benchValues(f, 4096)
		words := make([]Words, len(vals))
		codes := make([]uint64, len(vals))
		for i, v := range vals {
			words[i], _ = f.EncodeWords(v)
			codes[i] = words[i][0]
		}
		b.Run(f.Name(), func(b *testing.B) {
			if f.Wide() {
				for i := 0; b.Loop(); i++ {
					v, _ := f.DecodeWords(words[i&4095])
					sinkF += v
				}
				return
			}
			for i := 0; b.Loop(); i++ {
				sinkF += f.Decode(codes[i&4095])
			}
		})
	}
}

func BenchmarkMXEncodeBlock(b *testing.B) {
	r := rand.New(rand.NewPCG(15, 16))
	var blocks [64][BlockSize]float64
	for i := range blocks {
		for j := range blocks[i] {
			blocks[i][j] = r.NormFloat64() * math.Ldexp(1, r.IntN(20)-10)
		}
	}
	for _, m := range MXFormats() {
		b.Run(m.Name(), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				blk, _ := m.EncodeBlock(blocks[i&63])
				sinkU += uint64(blk.Scale)
			}
		})
	}
}

func BenchmarkMXDecodeBlock(b *testing.B) {
	r := rand.New(rand.NewPCG(17, 18))
	for _, m := range MXFormats() {
		var blks [64]MXBlock
		for i := range blks {
			var v [BlockSize]float64
			for j := range v {
				v[j] = r.NormFloat64()
			}
			blks[i], _ = m.EncodeBlock(v)
		}
		b.Run(m.Name(), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				out := m.DecodeBlock(blks[i&63])
				sinkF += out[0]
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	texts := []string{"integer", "varchar(50)", "date", "float64",
		"struct(a integer, b array(map(varchar, decimal(12,2))), c timestamp(tz=Europe/Paris) not null)"}
	b.Run("cached", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			t, _ := Parse(texts[i%len(texts)])
			sinkU += uint64(t.Family())
		}
	})
	b.Run("uncached", func(b *testing.B) {
		// Distinct texts longer than the cache's key limit bypass the cache.
		long := make([]string, 64)
		for i := range long {
			long[i] = "struct(a integer, b array(map(varchar, decimal(12,2))), c timestamp(tz=Europe/Paris) not null, " +
				"d varchar(" + strconv.Itoa(i+1) + "), e0123456789012345678901234567890123456789012345678901234567890123456789 bigint, " +
				"f0123456789012345678901234567890123456789012345678901234567890123456789 bigint)"
		}
		for i := 0; b.Loop(); i++ {
			t, _ := Parse(long[i&63])
			sinkU += uint64(t.Family())
		}
	})
}

func BenchmarkCheckReplace(b *testing.B) {
	pairs := [][2]Type{
		{MustParse("varchar(40)"), MustParse("varchar(200)")},
		{MustParse("fp8_e4m3"), MustParse("float16")},
		{MustParse("struct(a integer, b array(varchar(10)), c date)"), MustParse("struct(c timestamp, b array(varchar(5)), a bigint)")},
		{MustParse("integer"), MustParse("integer")},
	}
	for _, p := range pairs {
		b.Run(p[0].String()+"->"+p[1].String(), func(b *testing.B) {
			for b.Loop() {
				sinkU += uint64(len(CheckReplace(p[0], p[1])))
			}
		})
	}
}
