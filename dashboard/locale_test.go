package dashboard

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestRuPlural(t *testing.T) {
	for n, want := range map[int]string{
		0: "дней", 1: "день", 2: "дня", 4: "дня", 5: "дней", 11: "дней", 12: "дней", 14: "дней",
		21: "день", 22: "дня", 25: "дней", 101: "день", 111: "дней", 112: "дней", 122: "дня", -1: "день",
	} {
		if got := ruPlural(n, "день", "дня", "дней"); got != want {
			t.Errorf("%d: %s, want %s", n, got, want)
		}
	}
	if got := locales["ru"].days(3); got != "3"+nbsp+"дня" {
		t.Errorf("days(3) = %q", got)
	}
	if got := locales["en"].days(1) + "/" + locales["en"].days(0); got != "1 day/0 days" {
		t.Errorf("English days: %q", got)
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	for h, want := range map[string]string{
		"":                                    "en",
		"ru":                                  "ru",
		"ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7": "ru",
		"en-US,en;q=0.9,ru;q=0.8":             "en",
		"de-DE, ru;q=0.5, en;q=0.4":           "ru",
		"de-DE, en;q=0.5, ru;q=0.4":           "en",
		"ru;q=0, en;q=0.1":                    "en",
		"ru;q=0":                              "en",
		"RU-ru":                               "ru",
		"ru;q=abc, en":                        "en",
		"*":                                   "en",
		"uk, ru;q=0.9":                        "ru",
	} {
		if got := fromAcceptLanguage(h).Lang; got != want {
			t.Errorf("%q: %s, want %s", h, got, want)
		}
	}
}

func FuzzAcceptLanguage(f *testing.F) {
	for _, s := range []string{"", "ru", "ru-RU,ru;q=0.9,en;q=0.8", "en;q=1e9, ru;q=NaN", ";;;,,,q=", "ru;q=-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		l := fromAcceptLanguage(h)
		if l != locales["en"] && l != locales["ru"] {
			t.Fatalf("%q: no locale", h)
		}
		// Russian only when the header names it.
		if l.Lang == "ru" && !strings.Contains(strings.ToLower(h), "ru") {
			t.Fatalf("%q chose Russian", h)
		}
	})
}

// TestGroupDigits: grouping only adds separators every three digits from
// the decimal point, and keeps the sign and the decimals.
func TestGroupDigits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		whole := rapid.StringMatching(`[1-9][0-9]{0,15}|0`).Draw(t, "whole")
		frac := rapid.StringMatching(`[0-9]{0,4}`).Draw(t, "frac")
		neg := rapid.Bool().Draw(t, "neg")
		s := whole
		if frac != "" {
			s += "." + frac
		}
		if neg {
			s = "-" + s
		}
		got := groupDigits(s, " ", ",")
		w, f, _ := strings.Cut(strings.TrimPrefix(got, "−"), ",")
		if neg != strings.HasPrefix(got, "−") {
			t.Fatalf("%s → %s: sign", s, got)
		}
		if f != frac {
			t.Fatalf("%s → %s: decimals %q", s, got, f)
		}
		groups := strings.Split(w, " ")
		if strings.Join(groups, "") != whole {
			t.Fatalf("%s → %s: digits changed", s, got)
		}
		for i, g := range groups {
			if len(g) > 3 || len(g) == 0 || (i > 0 && len(g) != 3) {
				t.Fatalf("%s → %s: group %q", s, got, g)
			}
		}
	})
	for s, want := range map[string]string{"1500000": "1,500,000", "-1234.5": "−1,234.5", "999": "999", "1000.25": "1,000.25", "0": "0"} {
		if got := groupDigits(s, ",", "."); got != want {
			t.Errorf("%s: %s, want %s", s, got, want)
		}
	}
}

// Ranks and counts past a thousand are grouped in the locale's digits.
func TestRankTextInLocale(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "—"}, {"en", 7, "7"}, {"en", 1024, "1,024"}, {"ru", 1024, "1" + nbsp + "024"}, {"ru", 999, "999"},
		{"en", 1234567, "1,234,567"},
	} {
		if got := rankText(locales[c.lang], c.n); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}
