package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// truncate cuts s to width cells with an ellipsis.
func truncate(s string, width int) string {
	if width <= 1 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// padRight pads s with spaces to width cells, truncating when longer.
func padRight(s string, width int) string {
	s = truncate(s, width)
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}

// fitBlock cuts a block to exactly height lines of at most width cells, without re-wrapping it: only
// over-long lines are truncated, so a frame costs what is visible.
func fitBlock(block string, width, height int) string {
	lines := strings.SplitN(block, "\n", height+1)
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// wrapBlock word-wraps text (styled or not) to width and returns it as one block.
func wrapBlock(text string, width int) string {
	return ansi.Wordwrap(text, max(10, width), "")
}

// hardWrap splits text into lines of at most width cells without styling (cheap on large bodies).
func hardWrap(text string, width int) []string {
	width = max(8, width)
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.ReplaceAll(line, "\t", "  ")
		for ansi.StringWidth(line) > width {
			cut := ansi.Truncate(line, width, "")
			if cut == "" {
				break
			}
			out = append(out, cut)
			line = line[len(cut):]
		}
		out = append(out, line)
	}
	return out
}

// wrapText word-wraps plain text to width.
func wrapText(text string, width int) []string {
	// Wrap, not Wordwrap: a URL or GUID longer than the pane is broken rather than left to overflow it.
	if text == "" {
		return nil
	}
	return strings.Split(ansi.Wrap(text, max(10, width), ""), "\n")
}
