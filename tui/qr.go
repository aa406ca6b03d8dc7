package tui

import (
	"fmt"
	"strings"

	"rsc.io/qr"
)

// qrQuiet is the quiet zone in modules around the code; scanners need some light margin (ISO/IEC
// 18004 asks for four, two is enough on a terminal whose background frames it).
const qrQuiet = 2

// renderQR draws text as a QR code with half-block characters, two modules per character row.
// Dark terminals draw the light modules (the code appears light on dark, as scanners expect the
// quiet zone to be the lighter colour); light terminals draw the dark modules.
func renderQR(text string, darkBackground bool) (string, error) {
	code, err := qr.Encode(text, qr.L)
	if err != nil {
		return "", fmt.Errorf("QR code: %w", err)
	}
	size := code.Size + 2*qrQuiet
	// ink reports whether the module at (x, y), quiet zone included, is drawn as a filled cell.
	ink := func(x, y int) bool {
		x, y = x-qrQuiet, y-qrQuiet
		black := x >= 0 && y >= 0 && x < code.Size && y < code.Size && code.Black(x, y)
		if darkBackground {
			return !black
		}
		return black
	}
	var b strings.Builder
	b.Grow((size + 1) * (size/2 + 1) * 3)
	for y := 0; y < size; y += 2 {
		for x := 0; x < size; x++ {
			top, bottom := ink(x, y), y+1 < size && ink(x, y+1)
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteByte(' ')
			}
		}
		if y+2 < size {
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

// qrCache keeps the last QR code drawn, so a panel redrawn every frame encodes it once.
type qrCache struct {
	text string
	dark bool
	out  string
	err  error
}

func (c *qrCache) render(text string, dark bool) (string, error) {
	if (c.out == "" && c.err == nil) || c.text != text || c.dark != dark {
		c.text, c.dark = text, dark
		c.out, c.err = renderQR(text, dark)
	}
	return c.out, c.err
}
