// Command shrinkpng scales a PNG down by an integer factor (the mean of each
// factor×factor block) and writes it with the best compression:
// scripts/screenshots.sh uses it on freeze's output, which is rendered at
// four times the terminal's size.
//
//	shrinkpng -factor 2 in.png out.png
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
)

func main() {
	factor := flag.Int("factor", 2, "scale down by this factor")
	flag.Parse()
	if flag.NArg() != 2 || *factor < 1 {
		fmt.Fprintln(os.Stderr, "usage: shrinkpng [-factor N] IN.png OUT.png")
		os.Exit(2)
	}
	if err := shrink(flag.Arg(0), flag.Arg(1), *factor); err != nil {
		fmt.Fprintln(os.Stderr, "shrinkpng:", err)
		os.Exit(1)
	}
}

func shrink(in, out string, n int) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	b := src.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx()/n, b.Dy()/n))
	for y := 0; y < dst.Rect.Dy(); y++ {
		for x := 0; x < dst.Rect.Dx(); x++ {
			var r, g, bl, a uint32
			for dy := 0; dy < n; dy++ {
				for dx := 0; dx < n; dx++ {
					c := color.NRGBAModel.Convert(src.At(b.Min.X+x*n+dx, b.Min.Y+y*n+dy)).(color.NRGBA)
					r, g, bl, a = r+uint32(c.R), g+uint32(c.G), bl+uint32(c.B), a+uint32(c.A)
				}
			}
			d := uint32(n * n)
			dst.SetNRGBA(x, y, color.NRGBA{uint8(r / d), uint8(g / d), uint8(bl / d), uint8(a / d)})
		}
	}
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(o, dst); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}
