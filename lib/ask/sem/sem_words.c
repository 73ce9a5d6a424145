/* The offline engine's own vocabulary: words that are not in the knowledge
 * file but shape a question. Anything not here, not in the knowledge file
 * and not a value in the warehouse makes the engine decline. Words that
 * change the meaning of a question (average, median, growth, not, more than,
 * per cent, ...) are deliberately absent: the engine must not skip them. */
#include "ask/sem/sem_int.h"

#include <string.h>

#define F(w) { w, DW_SEM_FILLER, 0 }

const struct dw_sem_word dw_sem_words_vocabulary[] = {
	F("a"), F("an"), F("the"), F("what"), F("whats"), F("was"), F("were"), F("is"),
	F("are"), F("be"), F("been"), F("did"), F("do"), F("does"), F("me"), F("us"),
	F("we"), F("our"), F("i"), F("my"), F("give"), F("tell"), F("get"), F("find"),
	F("see"), F("total"), F("totals"), F("overall"), F("sum of"), F("of"), F("in"),
	F("for"), F("with"), F("which"), F("who"), F("has"), F("had"),
	F("have"), F("that"), F("it"), F("its"), F("their"), F("please"), F("on"),
	F("at"), F("during"), F("within"), F("shipped"), F("via"), F("using"),
	F("made"), F("data"), F("dataset"), F("value of"),
	F("can you"), F("i want"), F("i want to know"), F("break down"), F("breakdown"),
	F("all time"), F("ever"), F("so far"), F("whole"), F("entire"), F("period"),
	F("time"), F("generated"), F("achieved"), F("came from"), F("come from"),
	F("from customers"), F("there"), F("exist"), F("available"), F("we have"),
	F("different"), F("distinct"), F("unique"), F("kinds of"), F("types of"),
	F("make"), F("earn"), F("earns"), F("earned"), F("generate"), F("over the"),
	F("contribute"), F("contributes"), F("contributed"), F("account for"),
	F("accounts for"), F("accounted for"), F("comes from"), F("make up"), F("makes up"),
	F("all years"), F("over all years"), F("across all years"), F("in all years"),
	F("on record"), F("single"), F("named"), F("called"), F("ordered"), F("receive"), F("received"),

	/* Part of the whole: "what percent of sales is Technology", "share of
	 * sales by market" (a fraction, like the percent metrics). */
	{ "share", DW_SEM_SHARE, 0 }, { "shares", DW_SEM_SHARE, 0 },
	{ "percent", DW_SEM_SHARE, 0 }, { "percentage", DW_SEM_SHARE, 0 },
	{ "proportion", DW_SEM_SHARE, 0 }, { "fraction", DW_SEM_SHARE, 0 },
	{ "contribution", DW_SEM_SHARE, 0 }, { "as a share", DW_SEM_SHARE, 0 },
	{ "as a percentage", DW_SEM_SHARE, 0 }, { "as a percent", DW_SEM_SHARE, 0 },
	{ "as a fraction", DW_SEM_SHARE, 0 }, { "as a proportion", DW_SEM_SHARE, 0 },

	/* Growth on the previous period (ref: the grain, see
	 * dw_sem_words_growth_grain). */
	{ "growth", DW_SEM_GROWTH, 0 }, { "grow", DW_SEM_GROWTH, 0 },
	{ "grew", DW_SEM_GROWTH, 0 }, { "grown", DW_SEM_GROWTH, 0 },
	{ "growing", DW_SEM_GROWTH, 0 }, { "growth rate", DW_SEM_GROWTH, 0 },
	{ "year over year", DW_SEM_GROWTH, 1 }, { "year on year", DW_SEM_GROWTH, 1 },
	{ "yoy", DW_SEM_GROWTH, 1 }, { "quarter over quarter", DW_SEM_GROWTH, 2 },
	{ "quarter on quarter", DW_SEM_GROWTH, 2 }, { "qoq", DW_SEM_GROWTH, 2 },
	{ "month over month", DW_SEM_GROWTH, 3 }, { "month on month", DW_SEM_GROWTH, 3 },
	{ "week over week", DW_SEM_GROWTH, 4 }, { "day over day", DW_SEM_GROWTH, 5 },

	/* Selling and buying are measured in sales, when no measure is named:
	 * "how much did we sell" (ref 0), "which country bought the most" (ref 1). */
	{ "how much", DW_SEM_HOWMUCH, 0 }, F("how did"), F("how has"), F("how have"),

	/* A time series at a grain that fits the period. */
	{ "trend", DW_SEM_TREND, 0 }, { "trends", DW_SEM_TREND, 0 },
	{ "over time", DW_SEM_TREND, 0 }, { "evolution", DW_SEM_TREND, 0 },
	{ "development", DW_SEM_TREND, 0 }, { "develop", DW_SEM_TREND, 0 },
	{ "developed", DW_SEM_TREND, 0 }, { "evolve", DW_SEM_TREND, 0 },
	{ "evolved", DW_SEM_TREND, 0 }, { "time series", DW_SEM_TREND, 0 },

	/* "what months have orders": the periods with data. */
	{ "have orders", DW_SEM_HASDATA, 0 }, { "had orders", DW_SEM_HASDATA, 0 },
	{ "with orders", DW_SEM_HASDATA, 0 }, { "have sales", DW_SEM_HASDATA, 0 },
	{ "had sales", DW_SEM_HASDATA, 0 }, { "with sales", DW_SEM_HASDATA, 0 },

	/* Values compared: one row each. */
	{ "vs", DW_SEM_COMPARE, 0 }, { "versus", DW_SEM_COMPARE, 0 },
	{ "compare", DW_SEM_COMPARE, 0 }, { "compared to", DW_SEM_COMPARE, 0 },
	{ "compared with", DW_SEM_COMPARE, 0 }, { "side by side", DW_SEM_COMPARE, 0 },
	{ "sell", DW_SEM_SELL, 0 }, { "sells", DW_SEM_SELL, 0 }, { "sold", DW_SEM_SELL, 0 },
	{ "selling", DW_SEM_SELL, 0 }, { "bought", DW_SEM_SELL, 1 }, { "buy", DW_SEM_SELL, 1 },
	{ "buys", DW_SEM_SELL, 1 }, { "purchased", DW_SEM_SELL, 1 }, { "spent", DW_SEM_SELL, 1 },
	{ "spend", DW_SEM_SELL, 1 }, { "place", DW_SEM_SELL, 1 }, { "placed", DW_SEM_SELL, 1 },
	{ "places", DW_SEM_SELL, 1 }, { "placing", DW_SEM_SELL, 1 },
	{ "bring in", DW_SEM_SELL, 0 }, { "brings in", DW_SEM_SELL, 0 },
	{ "brought in", DW_SEM_SELL, 0 }, { "bringing in", DW_SEM_SELL, 0 },

	{ "show", DW_SEM_LIST, 0 }, { "list", DW_SEM_LIST, 0 }, { "display", DW_SEM_LIST, 0 },
	{ "all", DW_SEM_LIST, 0 }, { "every", DW_SEM_LIST, 0 }, { "names of", DW_SEM_LIST, 0 },
	{ "what are the", DW_SEM_LIST, 0 }, { "what are", DW_SEM_LIST, 0 },
	{ "name the", DW_SEM_LIST, 0 },

	{ "by", DW_SEM_BY, 0 }, { "per", DW_SEM_BY, 0 }, { "each", DW_SEM_BY, 0 },
	{ "for each", DW_SEM_BY, 0 }, { "for every", DW_SEM_BY, 0 }, { "in each", DW_SEM_BY, 0 },
	{ "broken down by", DW_SEM_BY, 0 }, { "split by", DW_SEM_BY, 0 },
	{ "grouped by", DW_SEM_BY, 0 }, { "group by", DW_SEM_BY, 0 },
	{ "breakdown by", DW_SEM_BY, 0 }, { "across", DW_SEM_BY, 0 },

	{ "top", DW_SEM_DESC, 0 }, { "highest", DW_SEM_DESC, 0 }, { "most", DW_SEM_DESC, 0 },
	{ "largest", DW_SEM_DESC, 0 }, { "biggest", DW_SEM_DESC, 0 },
	{ "greatest", DW_SEM_DESC, 0 }, { "maximum", DW_SEM_DESC, 0 }, { "best", DW_SEM_DESC, 0 },
	{ "leading", DW_SEM_DESC, 0 },
	{ "bottom", DW_SEM_ASC, 0 }, { "lowest", DW_SEM_ASC, 0 }, { "least", DW_SEM_ASC, 0 },
	{ "smallest", DW_SEM_ASC, 0 }, { "fewest", DW_SEM_ASC, 0 }, { "minimum", DW_SEM_ASC, 0 },
	{ "worst", DW_SEM_ASC, 0 },

	{ "ranked by", DW_SEM_SORTBY, 0 }, { "sorted by", DW_SEM_SORTBY, 0 },
	{ "ordered by", DW_SEM_SORTBY, 0 }, { "ranking by", DW_SEM_SORTBY, 0 },
	{ "highest first", DW_SEM_SORTDIR, 1 }, { "largest first", DW_SEM_SORTDIR, 1 },
	{ "descending", DW_SEM_SORTDIR, 1 }, { "lowest first", DW_SEM_SORTDIR, -1 },
	{ "smallest first", DW_SEM_SORTDIR, -1 }, { "ascending", DW_SEM_SORTDIR, -1 },
	{ "best first", DW_SEM_SORTDIR, 1 }, { "worst first", DW_SEM_SORTDIR, -1 },
	{ "oldest first", DW_SEM_SORTDIR, 2 }, { "earliest first", DW_SEM_SORTDIR, 2 },
	{ "chronologically", DW_SEM_SORTDIR, 2 }, { "in chronological order", DW_SEM_SORTDIR, 2 },
	{ "monday through sunday", DW_SEM_SORTDIR, 2 }, { "monday to sunday", DW_SEM_SORTDIR, 2 },
	{ "mon through sun", DW_SEM_SORTDIR, 2 }, { "mon to sun", DW_SEM_SORTDIR, 2 },
	{ "rank", DW_SEM_LIST, 0 },

	{ "how many", DW_SEM_HOWMANY, 0 }, { "number of", DW_SEM_HOWMANY, 0 },
	{ "count of", DW_SEM_HOWMANY, 0 }, { "count", DW_SEM_HOWMANY, 0 },

	{ "date range", DW_SEM_COVER, 0 }, { "time range", DW_SEM_COVER, 0 },
	{ "cover", DW_SEM_COVER, 0 }, { "covers", DW_SEM_COVER, 0 },
	{ "covered", DW_SEM_COVER, 0 }, { "span", DW_SEM_COVER, 0 },
	{ "time span", DW_SEM_COVER, 0 }, { "date span", DW_SEM_COVER, 0 },
	{ "first and last order dates", DW_SEM_COVER, 0 },
	{ "first and last dates", DW_SEM_COVER, 0 },
	{ "earliest and latest dates", DW_SEM_COVER, 0 },
	{ "earliest and latest order dates", DW_SEM_COVER, 0 },

	{ "last", DW_SEM_LAST, 0 }, { "latest", DW_SEM_LAST, 0 },
	{ "most recent", DW_SEM_LAST, 0 }, { "this", DW_SEM_LAST, 0 }, { "past", DW_SEM_LAST, 0 },
	/* The period before the latest (ref: the grain, as for growth). */
	{ "year before last", DW_SEM_LAST, 1 }, { "quarter before last", DW_SEM_LAST, 2 },
	{ "month before last", DW_SEM_LAST, 3 },
	{ "between", DW_SEM_BETWEEN, 0 }, { "from", DW_SEM_FROM, 0 },
	{ "to", DW_SEM_TO, 0 }, { "through", DW_SEM_TO, 0 }, { "until", DW_SEM_TO, 0 },
	{ "till", DW_SEM_TO, 0 }, { "since", DW_SEM_SINCE, 0 }, { "before", DW_SEM_BEFORE, 0 },
	{ "and", DW_SEM_AND, 0 },

	{ "january", DW_SEM_MONTH, 1 }, { "jan", DW_SEM_MONTH, 1 },
	{ "february", DW_SEM_MONTH, 2 }, { "feb", DW_SEM_MONTH, 2 },
	{ "march", DW_SEM_MONTH, 3 }, { "mar", DW_SEM_MONTH, 3 },
	{ "april", DW_SEM_MONTH, 4 }, { "apr", DW_SEM_MONTH, 4 },
	{ "may", DW_SEM_MONTH, 5 },
	{ "june", DW_SEM_MONTH, 6 }, { "jun", DW_SEM_MONTH, 6 },
	{ "july", DW_SEM_MONTH, 7 }, { "jul", DW_SEM_MONTH, 7 },
	{ "august", DW_SEM_MONTH, 8 }, { "aug", DW_SEM_MONTH, 8 },
	{ "september", DW_SEM_MONTH, 9 }, { "sep", DW_SEM_MONTH, 9 }, { "sept", DW_SEM_MONTH, 9 },
	{ "october", DW_SEM_MONTH, 10 }, { "oct", DW_SEM_MONTH, 10 },
	{ "november", DW_SEM_MONTH, 11 }, { "nov", DW_SEM_MONTH, 11 },
	{ "december", DW_SEM_MONTH, 12 }, { "dec", DW_SEM_MONTH, 12 },

	{ "q1", DW_SEM_QUARTER, 1 }, { "q2", DW_SEM_QUARTER, 2 },
	{ "q3", DW_SEM_QUARTER, 3 }, { "q4", DW_SEM_QUARTER, 4 },
	{ "first", DW_SEM_ORDINAL, 1 }, { "1st", DW_SEM_ORDINAL, 1 },
	{ "second", DW_SEM_ORDINAL, 2 }, { "2nd", DW_SEM_ORDINAL, 2 },
	{ "third", DW_SEM_ORDINAL, 3 }, { "3rd", DW_SEM_ORDINAL, 3 },
	{ "fourth", DW_SEM_ORDINAL, 4 }, { "4th", DW_SEM_ORDINAL, 4 },
	{ NULL, DW_SEM_FILLER, 0 },
};

/* Metric adjectives: each names a measure and a direction to rank by
 * ("best-selling" is split into "best selling"), and whether a measure after
 * "by" may rank instead (selling can be counted in units). An entry whose
 * metric the knowledge file lacks is not loaded. */
const struct dw_sem_ranked dw_sem_words_ranked[] = {
	{ "most profitable", "profit", 1, 0 }, { "least profitable", "profit", -1, 0 },
	{ "best selling", "sales", 1, 1 }, { "top selling", "sales", 1, 1 },
	{ "worst selling", "sales", -1, 1 },
	{ "most discounted", "average_discount", 1, 0 },
	{ "least discounted", "average_discount", -1, 0 },
	{ NULL, NULL, 0, 0 },
};

/* The grain a growth word names: "year over year" is ref 1. */
const char *const dw_sem_words_growth_grain[] = { NULL, "year", "quarter", "month", "week", "day" };

/* Numbers written as words: "top five". */
const struct dw_sem_word dw_sem_words_numbers[] = {
	{ "one", DW_SEM_NUMBER, 1 }, { "two", DW_SEM_NUMBER, 2 }, { "three", DW_SEM_NUMBER, 3 },
	{ "four", DW_SEM_NUMBER, 4 }, { "five", DW_SEM_NUMBER, 5 }, { "six", DW_SEM_NUMBER, 6 },
	{ "seven", DW_SEM_NUMBER, 7 }, { "eight", DW_SEM_NUMBER, 8 },
	{ "nine", DW_SEM_NUMBER, 9 }, { "ten", DW_SEM_NUMBER, 10 },
	{ "eleven", DW_SEM_NUMBER, 11 }, { "twelve", DW_SEM_NUMBER, 12 },
	{ "thirteen", DW_SEM_NUMBER, 13 }, { "fourteen", DW_SEM_NUMBER, 14 },
	{ "fifteen", DW_SEM_NUMBER, 15 }, { "sixteen", DW_SEM_NUMBER, 16 },
	{ "seventeen", DW_SEM_NUMBER, 17 }, { "eighteen", DW_SEM_NUMBER, 18 },
	{ "nineteen", DW_SEM_NUMBER, 19 }, { "twenty", DW_SEM_NUMBER, 20 },
	{ "twenty five", DW_SEM_NUMBER, 25 }, { "thirty", DW_SEM_NUMBER, 30 },
	{ "forty", DW_SEM_NUMBER, 40 }, { "fifty", DW_SEM_NUMBER, 50 },
	{ "sixty", DW_SEM_NUMBER, 60 }, { "seventy", DW_SEM_NUMBER, 70 },
	{ "eighty", DW_SEM_NUMBER, 80 }, { "ninety", DW_SEM_NUMBER, 90 },
	{ "hundred", DW_SEM_NUMBER, 100 },
	{ "a hundred", DW_SEM_NUMBER, 100 }, { "one hundred", DW_SEM_NUMBER, 100 },
	{ NULL, DW_SEM_FILLER, 0 },
};

/* Words that change what is asked: an unknown word is never read as a
 * known word one edit away when it is one of these. */
const struct dw_sem_word dw_sem_words_never_corrected[] = {
	F("median"), F("medians"), F("average"), F("averages"), F("means"), F("ratio"),
	F("ratios"), F("running"), F("rolling"), F("moving"), F("cumulative"), F("excluding"),
	F("except"), F("without"), F("never"), F("fewer"), F("above"), F("below"),
	F("under"), F("whose"), F("where"), F("contain"), F("contains"),
	F("change"), F("changes"), F("difference"), F("increase"),
	F("decrease"), F("variance"), F("deviation"), F("distribution"), F("minus"),
	F("other"), F("others"), F("outside"), F("apart"), F("besides"), F("after"),
	F("until"), F("since"), F("before"), F("previous"), F("prior"), F("first"),
	{ NULL, DW_SEM_FILLER, 0 },
};

/* Words before a value that make the phrase after it a noun phrase
 * ("from Technology products"). */
const char *const dw_sem_words_prepositions[] = {
	"of", "from", "for", "in", "on", "with", "to", NULL,
};

/* What says "returned" in other words: an auxiliary before it ("were
 * returned"), or a verb before "back" ("sent back"). */
const char *const dw_sem_words_auxiliaries[] = {
	"was", "were", "got", "get", "gets", "is", "are", "been", "be", "being", NULL,
};
const char *const dw_sem_words_back[] = { "sent", "send", "came", "come", NULL };

int dw_sem_words_in(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return 1;
	return 0;
}

/* A number said in one word ("thirteen", "forty"), or -1. */
long dw_sem_words_number(const char *w)
{
	for (const struct dw_sem_word *x = dw_sem_words_numbers; x->phrase; x++)
		if (!strcmp(w, x->phrase))
			return x->ref;
	return -1;
}
