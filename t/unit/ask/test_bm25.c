/* Unit tests for lib/ask/bm25.c: the tokenizer (stopwords, stemming, UTF-8)
 * and Okapi BM25 ranking used to pick dw-ask examples. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "ask/bm25.h"

/* ---- helpers ---- */

static void assert_terms(const char *text, const char *want)
{
	char *got = dw_bm25_terms(text);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static const char *const questions[] = {
	"Total sales by region",
	"Profit by product category",
	"Top 10 customers by sales",
	"Monthly order count in 2014",
	"Average discount by ship mode",
};
#define NQUESTIONS (sizeof questions / sizeof questions[0])

static int setup_questions(void **state)
{
	*state = dw_bm25_new(questions, NQUESTIONS);
	return *state ? 0 : -1;
}

static int teardown_index(void **state)
{
	dw_bm25_free(*state);
	return 0;
}

/* The index of the best document for query, or -1 when nothing matches. */
static long best(const struct dw_bm25 *ix, const char *query)
{
	size_t idx;

	return dw_bm25_top(ix, query, 1, &idx, NULL) ? (long)idx : -1;
}

/* ---- tokenizer ---- */

static void test_terms_lowercase_and_stopwords(void **state)
{
	assert_terms("What are the Sales by Region?", "sale region");
	assert_terms("Show me all of it, please", "");
	assert_terms("", "");
	assert_terms(NULL, "");
}

static void test_terms_split_on_punctuation_keep_digits(void **state)
{
	assert_terms("top-10 customers' sales, 2014/Q3", "top 10 customer sale 2014 q3");
}

static void test_terms_plural_stemming(void **state)
{
	assert_terms("categories cities classes taxes boxes branches dishes",
		     "category city class tax box branch dish");
	assert_terms("sales cases orders discounts", "sale case order discount");
}

static void test_terms_no_stemming_of_s_endings_that_are_not_plurals(void **state)
{
	assert_terms("status analysis gross bus ties", "status analysis gross bus tie");
}

static void test_terms_ing_stemming(void **state)
{
	assert_terms("shipping ordering selling running string during",
		     "ship order sell run string during");
}

static void test_terms_market_us_is_not_a_stopword(void **state)
{
	assert_terms("sales in the US", "sale us");
}

static void test_terms_utf8_words_stay_whole(void **state)
{
	assert_terms("Ventes à Zürich", "vente à zürich");
	assert_terms("Ünïcode", "Ünïcode");
}

/* ---- ranking ---- */

static void test_relevant_doc_first(void **state)
{
	const struct dw_bm25 *ix = *state;

	assert_int_equal(best(ix, "which customers bought the most"), 2);
	assert_int_equal(best(ix, "profit per category"), 1);
	assert_int_equal(best(ix, "discounts for each shipping mode"), 4);
	assert_int_equal(best(ix, "how many orders in 2014"), 3);
	assert_int_equal(best(ix, "sales in each region"), 0);
}

static void test_no_shared_term_no_result(void **state)
{
	const struct dw_bm25 *ix = *state;
	size_t idx[NQUESTIONS];

	assert_int_equal(dw_bm25_top(ix, "weather forecast", NQUESTIONS, idx, NULL), 0);
}

static void test_stopwords_ignored(void **state)
{
	const struct dw_bm25 *ix = *state;
	size_t idx[NQUESTIONS], idx2[NQUESTIONS];
	double score[NQUESTIONS], score2[NQUESTIONS];
	size_t n;

	/* "by" is in four of the questions: it would match them if kept. */
	assert_int_equal(dw_bm25_top(ix, "what is the by", NQUESTIONS, idx, NULL), 0);
	n = dw_bm25_top(ix, "sales", NQUESTIONS, idx, score);
	assert_int_equal(n, 2);
	assert_int_equal(dw_bm25_top(ix, "show me the sales by", NQUESTIONS, idx2, score2), n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(idx2[i], idx[i]);
		assert_true(score2[i] == score[i]);
	}
}

static void test_plural_query_matches_singular_doc(void **state)
{
	const struct dw_bm25 *ix = *state;

	assert_int_equal(best(ix, "regions"), 0);
	assert_int_equal(best(ix, "categories"), 1);
	assert_int_equal(best(ix, "customer"), 2);
}

static void test_k_larger_than_n(void **state)
{
	const struct dw_bm25 *ix = *state;
	size_t idx[20];

	/* Each question has one of these terms. */
	assert_int_equal(dw_bm25_top(ix, "sales profit order discount", 20, idx, NULL), 5);
}

static void test_k_limits_and_scores_descend(void **state)
{
	const struct dw_bm25 *ix = *state;
	size_t idx[3];
	double score[3];

	assert_int_equal(dw_bm25_top(ix, "top customers sales region", 3, idx, score), 2);
	assert_int_equal(idx[0], 2);
	assert_int_equal(idx[1], 0);
	assert_true(score[0] > score[1]);
	assert_true(score[1] > 0);
	assert_int_equal(dw_bm25_top(ix, "top customers sales region", 1, idx, score), 1);
	assert_int_equal(idx[0], 2);
}

static void test_empty_query(void **state)
{
	const struct dw_bm25 *ix = *state;
	size_t idx[NQUESTIONS];

	assert_int_equal(dw_bm25_top(ix, "", NQUESTIONS, idx, NULL), 0);
	assert_int_equal(dw_bm25_top(ix, NULL, NQUESTIONS, idx, NULL), 0);
	assert_int_equal(dw_bm25_top(ix, "?!", NQUESTIONS, idx, NULL), 0);
}

static void test_ties_go_to_lower_index(void **state)
{
	const char *const docs[] = { "profit", "sales region", "discount", "region sales" };
	struct dw_bm25 *ix = dw_bm25_new(docs, 4);
	size_t idx[4];
	double score[4];

	assert_non_null(ix);
	assert_int_equal(dw_bm25_top(ix, "sales", 4, idx, score), 2);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 3);
	assert_true(score[0] == score[1]);
	dw_bm25_free(ix);
}

static void test_score_is_okapi_bm25(void **state)
{
	/* N = 2, df = 1: idf = ln(1 + 1.5 / 1.5) = ln 2; tf = 1 and dl = avgdl
	 * make the term-frequency factor exactly 1. */
	const char *const docs[] = { "apple", "banana" };
	struct dw_bm25 *ix = dw_bm25_new(docs, 2);
	size_t idx;
	double score;

	assert_non_null(ix);
	assert_int_equal(dw_bm25_top(ix, "apple", 1, &idx, &score), 1);
	assert_int_equal(idx, 0);
	assert_true(fabs(score - log(2)) < 1e-12);
	dw_bm25_free(ix);
}

static void test_shorter_doc_wins_at_same_tf(void **state)
{
	const char *const docs[] = { "region east west north south", "region" , "profit" };
	struct dw_bm25 *ix = dw_bm25_new(docs, 3);
	size_t idx[3];

	assert_non_null(ix);
	assert_int_equal(dw_bm25_top(ix, "region", 3, idx, NULL), 2);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 0);
	dw_bm25_free(ix);
}

static void test_repeated_query_term_counts_once(void **state)
{
	const struct dw_bm25 *ix = *state;
	size_t idx;
	double once, twice;

	assert_int_equal(dw_bm25_top(ix, "discount", 1, &idx, &once), 1);
	assert_int_equal(dw_bm25_top(ix, "discount discounts discount", 1, &idx, &twice), 1);
	assert_true(once == twice);
}

static void test_empty_index_and_null_docs(void **state)
{
	const char *const docs[] = { NULL, "sales" };
	struct dw_bm25 *empty = dw_bm25_new(NULL, 0), *ix = dw_bm25_new(docs, 2);
	size_t idx[2];

	assert_non_null(empty);
	assert_non_null(ix);
	assert_int_equal(dw_bm25_top(empty, "sales", 2, idx, NULL), 0);
	assert_int_equal(dw_bm25_top(ix, "sales", 2, idx, NULL), 1);
	assert_int_equal(idx[0], 1);
	dw_bm25_free(empty);
	dw_bm25_free(ix);
	dw_bm25_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms_lowercase_and_stopwords),
		cmocka_unit_test(test_terms_split_on_punctuation_keep_digits),
		cmocka_unit_test(test_terms_plural_stemming),
		cmocka_unit_test(test_terms_no_stemming_of_s_endings_that_are_not_plurals),
		cmocka_unit_test(test_terms_ing_stemming),
		cmocka_unit_test(test_terms_market_us_is_not_a_stopword),
		cmocka_unit_test(test_terms_utf8_words_stay_whole),
		cmocka_unit_test_setup_teardown(test_relevant_doc_first, setup_questions,
						teardown_index),
		cmocka_unit_test_setup_teardown(test_no_shared_term_no_result, setup_questions,
						teardown_index),
		cmocka_unit_test_setup_teardown(test_stopwords_ignored, setup_questions,
						teardown_index),
		cmocka_unit_test_setup_teardown(test_plural_query_matches_singular_doc,
						setup_questions, teardown_index),
		cmocka_unit_test_setup_teardown(test_k_larger_than_n, setup_questions,
						teardown_index),
		cmocka_unit_test_setup_teardown(test_k_limits_and_scores_descend, setup_questions,
						teardown_index),
		cmocka_unit_test_setup_teardown(test_empty_query, setup_questions, teardown_index),
		cmocka_unit_test_setup_teardown(test_repeated_query_term_counts_once,
						setup_questions, teardown_index),
		cmocka_unit_test(test_ties_go_to_lower_index),
		cmocka_unit_test(test_score_is_okapi_bm25),
		cmocka_unit_test(test_shorter_doc_wins_at_same_tf),
		cmocka_unit_test(test_empty_index_and_null_docs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
