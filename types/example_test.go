package types_test

import (
	"fmt"

	"github.com/datasurface/datasurface-go/types"
)

func ExampleParse() {
	t, err := types.Parse("STRUCT(id int, tags array(text, 10), at timestamp(tz=Europe/Paris) not null)")
	fmt.Println(t, err)
	_, err = types.Parse("decimal(3,5)")
	fmt.Println(err)
	// Output:
	// struct(id integer, tags array(varchar, 10), at timestamp(tz=Europe/Paris) not null) <nil>
	// decimal: scale 5: must not exceed the precision 3 (at offset 10)
}

func ExampleCheckReplace() {
	old := types.MustParse("struct(name varchar(40), score decimal(10,2))")
	widened := types.MustParse("struct(name varchar(200), score decimal(12,2), note text)")
	narrowed := types.MustParse("struct(name varchar(20), score decimal(10,2))")
	fmt.Println(types.CheckReplace(old, widened))
	for _, c := range types.CheckReplace(old, narrowed) {
		fmt.Println(c)
	}
	// Output:
	// []
	// TYPE_NARROWED at field name: varchar length reduced from 40 to 20
}

func ExampleFloatFormat_Encode() {
	code, st := types.E4M3.Encode(460)
	fmt.Printf("%#x %v %v\n", code, st, types.E4M3.Decode(code))
	code, st = types.E4M3.Encode(1000)
	fmt.Printf("%#x %v\n", code, st)
	code, st = types.E4M3.Encode(1000, types.Saturate)
	fmt.Printf("%#x %v\n", code, st)
	// Output:
	// 0x7e rounded 448
	// 0x7f rounded|overflow
	// 0x7e rounded|overflow
}

func ExampleMXFormat_EncodeBlock() {
	var v [types.BlockSize]float64
	v[0], v[1], v[2] = 3, -0.75, 0.1
	b, st := types.MXFP4E2M1.EncodeBlock(v)
	d := types.MXFP4E2M1.DecodeBlock(b)
	fmt.Println(b.Scale, st, d[0], d[1], d[2])
	// Output:
	// 126 rounded|underflow 3 -0.75 0
}
