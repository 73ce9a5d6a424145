#include "etl/width.h"

#include <string.h>

static const struct {
	const char *field;
	int width;
} widths[] = {
	{ "Order ID", 32 },       /* fact_sales.order_id, fact_return.order_id */
	{ "Customer ID", 32 },    /* dim_customer.customer_id */
	{ "Customer Name", 200 }, /* dim_customer.customer_name */
	{ "Segment", 50 },        /* dim_customer.segment */
	{ "City", 100 },          /* dim_location.city */
	{ "State", 100 },         /* dim_location.state */
	{ "Country", 64 },        /* dim_location.country */
	{ "Postal Code", 16 },    /* dim_location.postal_code */
	{ "Market", 32 },         /* dim_location.market */
	{ "Region", 64 },         /* dim_location.region, fact_return.region */
	{ "Product ID", 32 },     /* dim_product.product_id */
	{ "Category", 50 },       /* dim_product.category */
	{ "Sub-Category", 50 },   /* dim_product.subcategory */
	{ "Product Name", 500 },  /* dim_product.product_name */
};

int dw_width_field(const char *name)
{
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
		if (!strcmp(widths[i].field, name))
			return widths[i].width;
	return 0;
}

size_t dw_width_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}
