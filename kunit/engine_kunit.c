// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites that run the engine's data-driven self-test cases inside the
 * kernel, with the module's real kmalloc-backed environment. The same cases
 * run in the host unit tests (tests/host).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>

#include <pci_cma/kunit.h>

#define PCI_CMA_CASE_MESSAGE_SIZE 256

/*
 * Parameters are case numbers plus one, so that case 0 is not mistaken for
 * the NULL that ends the series.
 */
static const void *pci_cma_next_case(const char *area, const void *prev, char *desc)
{
	struct pci_cma_kunit_case c;
	size_t index = prev ? (uintptr_t)prev : 0;

	for (; pci_cma_kunit_describe(index, &c); index++) {
		if (strcmp(c.area, area))
			continue;
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s: %s", c.suite, c.name);
		return (const void *)(uintptr_t)(index + 1);
	}
	return NULL;
}

static const void *pci_cma_base_cases(struct kunit *test, const void *prev, char *desc)
{
	return pci_cma_next_case("base", prev, desc);
}

static const void *pci_cma_message_cases(struct kunit *test, const void *prev, char *desc)
{
	return pci_cma_next_case("messages", prev, desc);
}

static const void *pci_cma_der_cases(struct kunit *test, const void *prev, char *desc)
{
	return pci_cma_next_case("der", prev, desc);
}

static const void *pci_cma_identity_cases(struct kunit *test, const void *prev, char *desc)
{
	return pci_cma_next_case("identity", prev, desc);
}

static const void *pci_cma_requester_cases(struct kunit *test, const void *prev, char *desc)
{
	return pci_cma_next_case("requester", prev, desc);
}

static void pci_cma_run_case(struct kunit *test)
{
	size_t index = (uintptr_t)test->param_value - 1;
	char *message = kunit_kzalloc(test, PCI_CMA_CASE_MESSAGE_SIZE, GFP_KERNEL);
	struct pci_cma_kunit_case c;

	KUNIT_ASSERT_NOT_NULL(test, message);
	KUNIT_ASSERT_TRUE(test, pci_cma_kunit_describe(index, &c));
	KUNIT_EXPECT_TRUE_MSG(test, pci_cma_kunit_run(index, message, PCI_CMA_CASE_MESSAGE_SIZE),
			      "%s: %s: %s", c.suite, c.name, message);
}

/* An empty area would make the parameterised case pass vacuously. */
static void pci_cma_base_has_cases(struct kunit *test)
{
	char desc[KUNIT_PARAM_DESC_SIZE];

	KUNIT_EXPECT_NOT_NULL(test, pci_cma_base_cases(test, NULL, desc));
}

static void pci_cma_messages_has_cases(struct kunit *test)
{
	char desc[KUNIT_PARAM_DESC_SIZE];

	KUNIT_EXPECT_NOT_NULL(test, pci_cma_message_cases(test, NULL, desc));
}

static void pci_cma_der_has_cases(struct kunit *test)
{
	char desc[KUNIT_PARAM_DESC_SIZE];

	KUNIT_EXPECT_NOT_NULL(test, pci_cma_der_cases(test, NULL, desc));
}

static void pci_cma_identity_has_cases(struct kunit *test)
{
	char desc[KUNIT_PARAM_DESC_SIZE];

	KUNIT_EXPECT_NOT_NULL(test, pci_cma_identity_cases(test, NULL, desc));
}

static void pci_cma_requester_has_cases(struct kunit *test)
{
	char desc[KUNIT_PARAM_DESC_SIZE];

	KUNIT_EXPECT_NOT_NULL(test, pci_cma_requester_cases(test, NULL, desc));
}

static struct kunit_case pci_cma_engine_base_cases[] = {
	KUNIT_CASE(pci_cma_base_has_cases),
	KUNIT_CASE_PARAM(pci_cma_run_case, pci_cma_base_cases),
	{}
};

static struct kunit_suite pci_cma_engine_base_suite = {
	.name = "pci_cma_engine_base",
	.test_cases = pci_cma_engine_base_cases,
};

static struct kunit_case pci_cma_engine_messages_cases[] = {
	KUNIT_CASE(pci_cma_messages_has_cases),
	KUNIT_CASE_PARAM(pci_cma_run_case, pci_cma_message_cases),
	{}
};

static struct kunit_suite pci_cma_engine_messages_suite = {
	.name = "pci_cma_engine_messages",
	.test_cases = pci_cma_engine_messages_cases,
};

static struct kunit_case pci_cma_engine_der_cases[] = {
	KUNIT_CASE(pci_cma_der_has_cases),
	KUNIT_CASE_PARAM(pci_cma_run_case, pci_cma_der_cases),
	{}
};

static struct kunit_suite pci_cma_engine_der_suite = {
	.name = "pci_cma_engine_der",
	.test_cases = pci_cma_engine_der_cases,
};

static struct kunit_case pci_cma_engine_identity_cases[] = {
	KUNIT_CASE(pci_cma_identity_has_cases),
	KUNIT_CASE_PARAM(pci_cma_run_case, pci_cma_identity_cases),
	{}
};

static struct kunit_suite pci_cma_engine_identity_suite = {
	.name = "pci_cma_engine_identity",
	.test_cases = pci_cma_engine_identity_cases,
};

static struct kunit_case pci_cma_engine_requester_cases[] = {
	KUNIT_CASE(pci_cma_requester_has_cases),
	KUNIT_CASE_PARAM(pci_cma_run_case, pci_cma_requester_cases),
	{}
};

static struct kunit_suite pci_cma_engine_requester_suite = {
	.name = "pci_cma_engine_requester",
	.test_cases = pci_cma_engine_requester_cases,
};

kunit_test_suites(&pci_cma_engine_base_suite, &pci_cma_engine_messages_suite,
		  &pci_cma_engine_der_suite, &pci_cma_engine_identity_suite,
		  &pci_cma_engine_requester_suite);

MODULE_DESCRIPTION("KUnit tests for the pci_cma_tsm SPDM engine");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
