package tui

import (
	"strings"
	"unicode/utf8"

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

// wrapText word-wraps plain text to width at spaces only: a GUID, URL or trace id stays whole on one
// line while it fits one (hyphens are not break points); a word longer than the width is broken.
func wrapText(text string, width int) []string {
	if text == "" {
		return nil
	}
	width = max(10, width)
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for ansi.StringWidth(word) > width { // longer than any line: broken, as nothing else fits
				if line != "" {
					out, line = append(out, line), ""
				}
				cut := ansi.Truncate(word, width, "")
				out, word = append(out, cut), word[len(cut):]
			}
			switch {
			case line == "":
				line = word
			case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= width:
				line += " " + word
			default:
				out, line = append(out, line), word
			}
		}
		out = append(out, line)
	}
	return out
}

// wrapBody wraps a (pretty-printed) body to width: each line at its words, continuation lines indented
// under the line they continue, so a JSON string is never cut in the middle of an id. A word longer than a
// line is broken where it must be, and its pieces are never joined again by a space.
func wrapBody(body string, width int) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		line = strings.ReplaceAll(line, "\t", "  ")
		if ansi.StringWidth(line) <= width {
			out = append(out, line)
			continue
		}
		trimmed := strings.TrimLeft(line, " ")
		lead := min(len(line)-len(trimmed), width/2)
		head, rest := splitFirstLine(trimmed, max(8, width-lead))
		out = append(out, strings.Repeat(" ", lead)+head)
		indent := lead + 2
		for rest != "" {
			head, rest = splitFirstLine(rest, max(8, width-indent))
			out = append(out, strings.Repeat(" ", indent)+head)
		}
	}
	return out
}

// splitFirstLine cuts the first line of s at width: at the last space that lets it fit, else (one long word)
// mid-word. The rest starts after the space it was cut at; no other character is dropped or added.
func splitFirstLine(s string, width int) (head, rest string) {
	if ansi.StringWidth(s) <= width {
		return s, ""
	}
	cut := ansi.Truncate(s, width, "")
	if cut == "" { // a single cell wider than the line: take it anyway, or the caller never ends
		_, size := utf8.DecodeRuneInString(s)
		return s[:size], s[size:]
	}
	if s[len(cut)] == ' ' {
		return cut, strings.TrimLeft(s[len(cut):], " ")
	}
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		return cut[:i], strings.TrimLeft(s[i:], " ")
	}
	return cut, s[len(cut):]
}
