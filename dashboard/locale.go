package dashboard

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// A locale is one language of the dashboard: its words and how it writes
// numbers, money, percents and dates.
type locale struct {
	Lang  string // "en" or "ru"
	words map[string]string
	// group and point separate thousands and decimals.
	group, point string
	// symbols are the signs of currencies written before (en) or after
	// (ru) the amount; an unknown currency is written by its ISO code.
	symbols map[string]string
}

// nbsp is the no-break space Russian typography puts between groups of
// digits and before a currency sign or a percent sign.
const nbsp = "\u00a0"

var locales = map[string]*locale{
	"en": {Lang: "en", words: english, group: ",", point: "."},
	"ru": {Lang: "ru", words: russian, group: nbsp, point: ",",
		symbols: map[string]string{"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br", "CNY": "¥"}},
}

// langCookie keeps the language chosen with ?lang=.
const langCookie = "goalkit_lang"

// pickLocale chooses the language of a request: ?lang= (kept in a cookie
// by the caller), then the cookie, then Accept-Language, then English.
func pickLocale(r *http.Request) (l *locale, chosen bool) {
	if l, ok := locales[r.URL.Query().Get("lang")]; ok {
		return l, true
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := locales[c.Value]; ok {
			return l, false
		}
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language")), false
}

// fromAcceptLanguage returns the locale the header prefers most (by q,
// then by order), English when it names neither language.
func fromAcceptLanguage(h string) *locale {
	best, bestQ := locales["en"], -1.0
	for part := range strings.SplitSeq(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if l, ok := locales[primary]; ok && q > bestQ && q > 0 {
			best, bestQ = l, q
		}
	}
	return best
}

// T returns the word or phrase of a key in the locale.
func (l *locale) T(key string) string {
	if s, ok := l.words[key]; ok {
		return s
	}
	if s, ok := english[key]; ok {
		return s
	}
	return key
}

// word writes one of the engine's words (an aggregate, with prefix
// "agg.", or a reason an event was left out, with "why.") in the
// locale's language: as the engine writes it where the locale has no
// word for it.
func (l *locale) word(prefix, w string) string {
	if s, ok := l.words[prefix+w]; ok {
		return s
	}
	return w
}

// number writes a plain decimal string ("-1234.5") in the locale.
func (l *locale) number(s string) string { return groupDigits(s, l.group, l.point) }

// money writes an amount already written as digits with its currency:
// "1 500 000 ₽" in Russian, "1,500,000 RUB" in English.
func (l *locale) money(digits, currency string) string {
	if sym, ok := l.symbols[currency]; ok {
		return digits + nbsp + sym
	}
	return digits + nbsp + currency
}

// percent writes a number already written as digits with a percent sign.
func (l *locale) percent(digits string) string {
	if l.Lang == "ru" {
		return digits + nbsp + "%"
	}
	return digits + "%"
}

var monthsEn = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// date writes a day: "4 Dec 2026" or "04.12.2026".
func (l *locale) date(t time.Time) string {
	if l.Lang == "ru" {
		return t.Format("02.01.2006")
	}
	return strconv.Itoa(t.Day()) + " " + monthsEn[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// instant writes a date and a time of day.
func (l *locale) instant(t time.Time) string { return l.date(t) + " " + t.Format("15:04") }

// days writes a number of days: "1 day", "3 дня", "5 дней".
func (l *locale) days(n int) string {
	if l.Lang != "ru" {
		if n == 1 {
			return "1 day"
		}
		return strconv.Itoa(n) + " days"
	}
	return strconv.Itoa(n) + nbsp + ruPlural(n, "день", "дня", "дней")
}

// periodsBack says how many periods before a formula's an input it reads
// with prev() is: "previous period", "2 periods back", "3 периода назад".
func (l *locale) periodsBack(n int) string {
	switch {
	case n == 1:
		return l.T("prev.one")
	case l.Lang == "ru":
		return strconv.Itoa(n) + nbsp + ruPlural(n, "период", "периода", "периодов") + " назад"
	}
	return strconv.Itoa(n) + " periods back"
}

// ruPlural picks the Russian form for n: one (1, 21), few (2–4, 22–24) or
// many (0, 5–20, 25…).
func ruPlural(n int, one, few, many string) string {
	if n < 0 {
		n = -n
	}
	switch n10, n100 := n%10, n%100; {
	case n10 == 1 && n100 != 11:
		return one
	case n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14):
		return few
	}
	return many
}

var english = map[string]string{
	"title":              "Goals",
	"nav.goals":          "Goals",
	"nav.ranking":        "Ranking",
	"nav.scorecards":     "Scorecards",
	"nav.teams":          "Teams",
	"nav.cascades":       "Cascades",
	"asof":               "as of",
	"actual":             "Actual",
	"target":             "Target",
	"remaining":          "Remaining",
	"timeleft":           "Time left",
	"expected":           "Expected by now",
	"forecast":           "Forecast",
	"vsprev":             "vs previous period",
	"vsyear":             "vs a year ago",
	"ended":              "ended",
	"notstarted":         "not started",
	"left":               "left",
	"nogoals":            "No goals to show.",
	"noranking":          "No rankings to show.",
	"noscorecards":       "No scorecards to show.",
	"noteams":            "No team or company goals to show.",
	"teams.norow":        "{unit} has no row in the table: its id {id} is also a person's, and the values of {id} are that person's, not the team's.",
	"nocascades":         "No cascades to show.",
	"dynamics":           "Daily dynamics: plan vs actual",
	"plan":               "Plan",
	"noseries":           "No daily series in this report.",
	"participant":        "Participant",
	"rank":               "Rank",
	"board.top":          "top {n} shown",
	"value":              "Value",
	"achievement":        "Achievement",
	"goal":               "Goal",
	"kpi":                "KPI",
	"weight":             "Weight",
	"score":              "Score",
	"weighted":           "Weighted",
	"contribution":       "Contribution",
	"gate":               "Gate",
	"gated":              "tripped",
	"subtotal":           "Subtotal",
	"factor":             "Gate factor",
	"total":              "Total",
	"bonus":              "Bonus",
	"notqualified":       "not qualified",
	"members":            "members",
	"node":               "Node",
	"share":              "Share",
	"met":                "met",
	"explain":            "Explanation",
	"included":           "Events counted",
	"excluded":           "Events left out",
	"event":              "Event",
	"time":               "Time",
	"actor":              "Actor",
	"amount":             "Amount",
	"reason":             "Reason",
	"aggregate":          "Aggregate",
	"formula":            "Formula",
	"inputs":             "Inputs",
	"prev.one":           "previous period",
	"window.before":      "Cumulative: the events from",
	"window.after":       "to the period’s end",
	"cohort.before":      "Cohort: each event counts for the date and actor of its entity’s first",
	"cohort.after":       "event",
	"or":                 "or",
	"more":               "more",
	"back":               "Back to the dashboard",
	"unauthorized":       "Sign in to see the dashboard.",
	"notfound":           "Not found.",
	"notallowed":         "This page is read, not sent to.",
	"unavailable":        "This number cannot be explained.",
	"period.unknown":     "This page has no period %q.",
	"goal.nofrom":        "This goal has no instance that starts on %q.",
	"date.malformed":     "%q is not a date (YYYY-MM-DD).",
	"param.twice":        "The parameter %s is given more than once: give it once.",
	"grain.malformed":    "%q is not a grain (day, week, month, quarter, year, fiscal_quarter, fiscal_year or a number of days such as 10d).",
	"period.malformed":   "%q is not a period label (2025, 2025-03, 2025-03-14, 2025-W14, 2025-Q2, FY2026, FY2026-Q1 or 2025-03-14/P10D).",
	"status.on_track":    "on track",
	"status.at_risk":     "at risk",
	"status.off_track":   "off track",
	"status.achieved":    "achieved",
	"status.failed":      "failed",
	"status.not_started": "not started",
	"company":            "Company",
	"period":             "Period",
	"leaderboards":       "Leaderboards",
	"goalranks":          "Goal ranking",
	"bonuses":            "Bonuses",
	"live":               "live",
	"history":            "Every period",
	"listevents":         "List the events",
	"of":                 "of",
	"milestones":         "Milestones reached",
	"failed":             "The dashboard cannot show this now. Try again later.",
	"noclock":            "The dashboard cannot show this: its clock (Options.Now) gave the zero time, not the instant to show.",
	"clockyears":         "The dashboard cannot show this: its clock reads %s, outside the years 0000 to 9999 a report can be as of. Set the server's clock.",
	"status":             "Status",
	"day":                "Date",
	"daybyday":           "Day by day",
	"chance.reach":       "{p} likely to reach {t}",
	"chance.within":      "{p} likely to stay within {t}",
	"range":              "Likely range (P10–P90)",
	"p10":                "P10",
	"p50":                "Median forecast",
	"p90":                "P90",
	"nav.breakdowns":     "Breakdowns",
	"nobreakdowns":       "No breakdowns to show.",
	"by":                 "by",
	"none":               "(none)",
	"other":              "(other)",
	"nav.stats":          "Statistics",
	"stats.title":        "Goal statistics",
	"nostats":            "No goal statistics to show.",
	"instances":          "Instances",
	"achieved":           "Achieved",
	"failedcount":        "Failed",
	"open":               "Open",
	"median":             "Median",
	"p90time":            "P90",
	"timetoachieve":      "Time to achievement",
	"trend":              "Change of the share achieved",
	"achmedian":          "Median achievement",
	"bygoal":             "By goal",
	"bytype":             "By type",
	"bykind":             "By participant kind",
	"byteam":             "By team",
	"byperiod":           "By period",
	"correlations":       "Correlations with {b}",
	"indicator":          "Indicator",
	"points":             "Points",
	"type.quantitative":  "quantitative",
	"type.qualitative":   "qualitative",
	"kind.user":          "individual",
	"kind.team":          "team",
	"kind.company":       "company",
	"overall":            "Overall",
	"daysunit":           "d",
	"pp":                 "pp",
	"othernote":          "Each participant's top values are shown; the rest add up under (other). An empty cell: nothing counted there, or counted under (other).",
}

var russian = map[string]string{
	"title":          "Цели",
	"nav.goals":      "Цели",
	"nav.ranking":    "Рейтинг",
	"nav.scorecards": "KPI",
	"nav.teams":      "Команды",
	"nav.cascades":   "Каскады",
	"asof":           "на",
	"actual":         "Факт",
	"target":         "План",
	"remaining":      "Осталось",
	"timeleft":       "До конца",
	"expected":       "План на сегодня",
	"forecast":       "Прогноз",
	"vsprev":         "к прошлому периоду",
	"vsyear":         "к прошлому году",
	"ended":          "завершён",
	"notstarted":     "не начат",
	"left":           "",
	"nogoals":        "Нет целей для показа.",
	"noranking":      "Нет рейтингов для показа.",
	"noscorecards":   "Нет карт KPI для показа.",
	"noteams":        "Нет целей команд и компании.",
	"teams.norow":    "У подразделения {unit} нет строки в таблице: его идентификатор {id} совпадает с идентификатором сотрудника, и значения {id} — этого сотрудника, а не команды.",
	"nocascades":     "Нет каскадов для показа.",
	"dynamics":       "Динамика по дням: план и факт",
	"plan":           "План",
	"noseries":       "В отчёте нет ряда по дням.",
	"participant":    "Участник",
	"rank":           "Место",
	"board.top":      "показаны первые {n}",
	"value":          "Значение",
	"achievement":    "Выполнение",
	"goal":           "Цель",
	"kpi":            "KPI",
	"weight":         "Вес",
	"score":          "Балл",
	"weighted":       "С весом",
	"contribution":   "Вклад",
	"gate":           "Порог",
	"gated":          "сработал",
	"subtotal":       "Сумма",
	"factor":         "Коэффициент порогов",
	"total":          "Итог",
	"bonus":          "Премия",
	"notqualified":   "не положена",
	"members":        "участников",
	"node":           "Узел",
	"share":          "Доля",
	"met":            "выполнен",
	"explain":        "Расшифровка",
	"included":       "Учтённые события",
	"excluded":       "Неучтённые события",
	"event":          "Событие",
	"time":           "Время",
	"actor":          "Исполнитель",
	"amount":         "Сумма",
	"reason":         "Причина",
	"aggregate":      "Агрегат",
	// The engine's aggregates and reasons an event was left out
	// (kpi.Reason…), by their wire words; English keeps those.
	"agg.count":               "количество",
	"agg.sum":                 "сумма",
	"agg.avg":                 "среднее",
	"agg.min":                 "минимум",
	"agg.max":                 "максимум",
	"agg.distinct":            "число различных",
	"agg.median":              "медиана",
	"agg.percentile":          "перцентиль",
	"why.retracted":           "отозвано",
	"why.outside the period":  "вне периода",
	"why.after as-of":         "после момента отчёта",
	"why.not known yet":       "ещё не известно",
	"why.another participant": "другой участник",
	"why.filter false":        "не прошло фильтр",
	"why.unpriced":            "нет курса валюты",
	"why.value undefined":     "значение не определено",
	// Reasons of a breakdown row and of a cohort (kpi keeps their
	// constants unexported).
	"why.another breakdown row":                                    "другая строка разреза",
	"why.not its entity's first conversion in the cohort's window": "не первая конверсия своей сущности в окне когорты",
	"formula":            "Формула",
	"inputs":             "Составляющие",
	"prev.one":           "предыдущий период",
	"window.before":      "Нарастающим итогом: события с",
	"window.after":       "до конца периода",
	"cohort.before":      "Когорта: каждое событие считается в дату и за участника первого события",
	"cohort.after":       "своей сущности",
	"or":                 "или",
	"more":               "ещё",
	"back":               "К панели",
	"unauthorized":       "Войдите, чтобы увидеть панель.",
	"notfound":           "Не найдено.",
	"notallowed":         "Эту страницу можно только открыть.",
	"unavailable":        "Это число нельзя расшифровать.",
	"period.unknown":     "На этой странице нет периода %q.",
	"goal.nofrom":        "У этой цели нет экземпляра, который начинается %q.",
	"date.malformed":     "%q — не дата (ГГГГ-ММ-ДД).",
	"param.twice":        "Параметр %s задан больше одного раза: задайте его один раз.",
	"grain.malformed":    "%q — не шаг периода (day, week, month, quarter, year, fiscal_quarter, fiscal_year или число дней, например 10d).",
	"period.malformed":   "%q — не метка периода (2025, 2025-03, 2025-03-14, 2025-W14, 2025-Q2, FY2026, FY2026-Q1 или 2025-03-14/P10D).",
	"status.on_track":    "в графике",
	"status.at_risk":     "под угрозой",
	"status.off_track":   "отстаёт",
	"status.achieved":    "выполнена",
	"status.failed":      "не выполнена",
	"status.not_started": "не начата",
	"company":            "Компания",
	"period":             "Период",
	"leaderboards":       "Рейтинги",
	"goalranks":          "Места по целям",
	"bonuses":            "Премии",
	"live":               "онлайн",
	"history":            "Все периоды",
	"listevents":         "Показать события",
	"of":                 "из",
	"milestones":         "Достигнуты этапы",
	"failed":             "Панель не может показать это сейчас. Попробуйте позже.",
	"noclock":            "Панель не может показать это: её часы (Options.Now) дали нулевое время, а не момент, на который показывать.",
	"clockyears":         "Панель не может показать это: её часы показывают %s, вне 0000–9999 годов, на которые может быть отчёт. Поправьте часы сервера.",
	"status":             "Статус",
	"day":                "Дата",
	"daybyday":           "По дням",
	"chance.reach":       "{p} — вероятность достичь {t}",
	"chance.within":      "{p} — вероятность уложиться в {t}",
	"range":              "Вероятный итог (P10–P90)",
	"p10":                "P10",
	"p50":                "Медианный прогноз",
	"p90":                "P90",
	"nav.breakdowns":     "Разрезы",
	"nobreakdowns":       "Нет разрезов для показа.",
	"by":                 "по",
	"none":               "(нет)",
	"other":              "(прочие)",
	"nav.stats":          "Статистика",
	"stats.title":        "Статистика целей",
	"nostats":            "Нет статистики целей.",
	"instances":          "Экземпляров",
	"achieved":           "Выполнено",
	"failedcount":        "Не выполнено",
	"open":               "Открыто",
	"median":             "Медиана",
	"p90time":            "P90",
	"timetoachieve":      "Время до выполнения",
	"trend":              "Изменение доли выполненных",
	"achmedian":          "Медиана выполнения",
	"bygoal":             "По целям",
	"bytype":             "По типам",
	"bykind":             "По видам участников",
	"byteam":             "По командам",
	"byperiod":           "По периодам",
	"correlations":       "Корреляции с {b}",
	"indicator":          "Показатель",
	"points":             "Точек",
	"type.quantitative":  "количественные",
	"type.qualitative":   "качественные",
	"kind.user":          "личные",
	"kind.team":          "командные",
	"kind.company":       "компании",
	"overall":            "Всего",
	"daysunit":           "дн.",
	"pp":                 "п. п.",
	"othernote":          "У каждого участника показаны его главные значения, остальные сложены в (прочие). Пустая клетка: там ничего не учтено или учтено в (прочих).",
}
