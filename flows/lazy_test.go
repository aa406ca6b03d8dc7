package flows

import (
	"reflect"
	"testing"
)

// The catalogue, the sequences and the AADSTS index are built on first use: the first and every later use
// give the same answers, and what a caller does with a copy does not reach the next caller.
func TestLazyCataloguesAnswerAlikeEveryTime(t *testing.T) {
	first := Catalog()
	if len(first) == 0 {
		t.Fatal("empty catalogue")
	}
	first[0].Title, first[0].Legs[0].Title = "changed", "changed"
	second := Catalog()
	if second[0].Title == "changed" || second[0].Legs[0].Title == "changed" {
		t.Fatal("a caller's change to Catalog()'s copy reached the next caller")
	}
	if !reflect.DeepEqual(second, Catalog()) {
		t.Fatal("Catalog() differs between uses")
	}
	for _, id := range FlowIDs() {
		f, ok := Lookup(id)
		again, okAgain := Lookup(id)
		if !ok || !okAgain || !reflect.DeepEqual(f, again) {
			t.Fatalf("Lookup(%q) differs between uses", id)
		}
		seq, seqAgain := SequenceOf(f), SequenceOf(f)
		if len(seq.Hops) == 0 || !reflect.DeepEqual(seq, seqAgain) {
			t.Fatalf("SequenceOf(%q) is empty or differs between uses", id)
		}
	}
	for _, e := range AADSTSCatalog() {
		got, ok := LookupAADSTS(e.Code)
		again, okAgain := LookupAADSTS(e.Code)
		if !ok || !okAgain || got != e || again != e {
			t.Fatalf("LookupAADSTS(%d) = %+v, %+v; want %+v both times", e.Code, got, again, e)
		}
	}
	if _, ok := LookupAADSTS(1); ok {
		t.Fatal("LookupAADSTS(1) found an uncatalogued code")
	}
}

// The tables of legs, parameters, narration and error help are built on first use too: every entry answers
// the same on a second look.
func TestLazyTablesAnswerAlikeEveryTime(t *testing.T) {
	if !reflect.DeepEqual(paramHelp(), paramHelp()) || len(paramHelp()) == 0 {
		t.Fatal("paramHelp differs between uses, or is empty")
	}
	if !reflect.DeepEqual(narration(), narration()) || len(narration()) == 0 {
		t.Fatal("narration differs between uses, or is empty")
	}
	if !reflect.DeepEqual(oauthErrorHelp(), oauthErrorHelp()) || len(oauthErrorHelp()) == 0 {
		t.Fatal("oauthErrorHelp differs between uses, or is empty")
	}
	if !reflect.DeepEqual(miExplain(), miExplain()) || len(miExplain()) == 0 {
		t.Fatal("miExplain differs between uses, or is empty")
	}
	for _, f := range Catalog() {
		for _, l := range f.Legs {
			first, ok := legImpls()[l.Name]
			again, okAgain := legImpls()[l.Name]
			if !ok || !okAgain || first.prepare == nil || again.prepare == nil {
				t.Fatalf("leg %s of %s has no implementation on first or second use", l.Name, f.ID)
			}
		}
	}
}
