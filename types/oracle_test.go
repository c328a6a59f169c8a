package types

import (
	"math"
	"math/big"
	"sort"
)

// This file is an independent oracle for the float codecs: it restates each
// format from its specification (docs/TYPES.md, the OCP FP8 and MX
// specifications) and computes values and rounding with exact rational
// arithmetic, sharing no code with the codec under test.

// spec is a format as the specifications define it.
type spec struct {
	f      *FloatFormat
	e, m   int
	bias   int
	signed bool
	// kind: "ieee" (all-ones exponent is Inf/NaN), "fn" (OCP E4M3: only
	// S.1111.111 is NaN), "fnuz" (0x80 is NaN, no -0), "none" (every code is
	// finite), "e8m0" (unsigned powers of two, 0xFF is NaN).
	kind string
}

var specs = []spec{
	{Binary16, 5, 10, 15, true, "ieee"},
	{BFloat16, 8, 7, 127, true, "ieee"},
	{E4M3, 4, 3, 7, true, "fn"},
	{E5M2, 5, 2, 15, true, "ieee"},
	{E4M3FNUZ, 4, 3, 8, true, "fnuz"},
	{E5M2FNUZ, 5, 2, 16, true, "fnuz"},
	{E2M3, 2, 3, 1, true, "none"},
	{E3M2, 3, 2, 3, true, "none"},
	{E2M1, 2, 1, 1, true, "none"},
	{E8M0, 8, 0, 127, false, "e8m0"},
}

func (s spec) width() int {
	if s.signed {
		return 1 + s.e + s.m
	}
	return s.e + s.m
}

func (s spec) signBit() uint64 {
	if !s.signed {
		return 0
	}
	return 1 << (s.width() - 1)
}

// class of a code.
const (
	finite = iota
	infinite
	notANumber
)

// pow2 returns 2^k as an exact rational.
func pow2(k int) *big.Rat {
	r := new(big.Rat).SetInt64(1)
	if k >= 0 {
		r.SetInt(new(big.Int).Lsh(big.NewInt(1), uint(k)))
	} else {
		r.SetFrac(big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), uint(-k)))
	}
	return r
}

// value returns the exact magnitude of a code, whether it is negative, and its class.
func (s spec) value(code uint64) (*big.Rat, bool, int) {
	neg := code&s.signBit() != 0
	mag := code &^ s.signBit()
	expOnes := uint64(1)<<s.e - 1
	exp := mag >> s.m
	man := mag & (1<<s.m - 1)
	switch s.kind {
	case "e8m0":
		if code == 0xFF {
			return nil, false, notANumber
		}
		return pow2(int(code) - 127), false, finite
	case "ieee":
		if exp == expOnes {
			if man == 0 {
				return nil, neg, infinite
			}
			return nil, neg, notANumber
		}
	case "fn":
		if exp == expOnes && man == 1<<s.m-1 {
			return nil, neg, notANumber
		}
	case "fnuz":
		if code == s.signBit() {
			return nil, false, notANumber
		}
	}
	if exp == 0 {
		v := new(big.Rat).SetInt64(int64(man))
		return v.Mul(v, pow2(1-s.bias-s.m)), neg, finite
	}
	v := new(big.Rat).SetInt64(int64(1<<s.m + man))
	return v.Mul(v, pow2(int(exp)-s.bias-s.m)), neg, finite
}

// point is one representable non-negative value.
type point struct {
	v    *big.Rat
	code uint64
}

// positives lists the finite non-negative values with their magnitude codes,
// ascending.
func (s spec) positives() []point {
	var out []point
	limit := uint64(1) << s.width()
	if s.signed {
		limit = s.signBit() // the non-negative codes
	}
	for c := uint64(0); c < limit; c++ {
		v, _, cl := s.value(c)
		if cl == finite {
			out = append(out, point{v, c})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].v.Cmp(out[j].v) < 0 })
	return out
}

// minNormal is 2^(1-bias), or the smallest value for E8M0.
func (s spec) minNormal() *big.Rat {
	if s.kind == "e8m0" {
		return pow2(-127)
	}
	return pow2(1 - s.bias)
}

// encode rounds a finite nonzero x the way the specifications say: nearest
// value, ties to the even code, with the overflow threshold at the midpoint
// between the largest value and the next one the exponent range would have
// allowed.
func (s spec) encode(pos []point, x float64, sat bool) (uint64, Status) {
	neg := math.Signbit(x)
	if neg && !s.signed && x != 0 {
		return 0xFF, StatusInvalid
	}
	ax := new(big.Rat).SetFloat64(math.Abs(x))
	last := pos[len(pos)-1]
	var virt *big.Rat
	if s.m > 0 {
		virt = new(big.Rat).Sub(last.v, pos[len(pos)-2].v)
		virt.Add(virt, last.v)
	} else {
		virt = new(big.Rat).Mul(last.v, big.NewRat(2, 1))
	}
	overflow := func() (uint64, Status) {
		st := StatusOverflow | StatusRounded
		sign := uint64(0)
		if neg {
			sign = s.signBit()
		}
		switch {
		case sat || s.kind == "none":
			return sign | last.code, st
		case s.kind == "ieee":
			return sign | (uint64(1)<<s.e-1)<<s.m, st
		case s.kind == "fn":
			return sign | 0x7F, st
		case s.kind == "fnuz":
			return 0x80, st
		}
		return 0xFF, st // e8m0
	}
	if ax.Cmp(virt) >= 0 {
		return overflow()
	}
	i := sort.Search(len(pos), func(i int) bool { return pos[i].v.Cmp(ax) > 0 }) - 1
	var pick point
	var st Status
	switch {
	case i < 0: // below the smallest value: E8M0 only
		pick, st = pos[0], StatusRounded|StatusUnderflow
	case pos[i].v.Cmp(ax) == 0:
		pick = pos[i]
	default:
		lo := pos[i]
		hi := point{virt, last.code + 1}
		if i+1 < len(pos) {
			hi = pos[i+1]
		}
		dlo := new(big.Rat).Sub(ax, lo.v)
		dhi := new(big.Rat).Sub(hi.v, ax)
		switch c := dlo.Cmp(dhi); {
		case c < 0:
			pick = lo
		case c > 0:
			pick = hi
		case lo.code%2 == 0:
			pick = lo
		default:
			pick = hi
		}
		if pick.code == last.code+1 && i+1 >= len(pos) {
			return overflow()
		}
		st = StatusRounded
		if ax.Cmp(s.minNormal()) < 0 {
			st |= StatusUnderflow
		}
	}
	code := pick.code
	if neg && !(code == 0 && s.kind == "fnuz") {
		code |= s.signBit()
	}
	return code, st
}
