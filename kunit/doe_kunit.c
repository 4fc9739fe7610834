// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for the glue's DOE transport: how a pci_doe() result reaches
 * the engine, and that a device being removed is never talked to.
 */
#include <kunit/test.h>
#include <linux/errno.h>

#include <pci_cma/kunit.h>

static void pci_cma_doe_response_that_fits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pci_cma_kunit_doe_received(36, 4104), 36);
	KUNIT_EXPECT_EQ(test, pci_cma_kunit_doe_received(0, 4104), 0);
	KUNIT_EXPECT_EQ(test, pci_cma_kunit_doe_received(4100, 4104), 4100);
}

/* pci_doe() cannot say a response was longer: a full buffer is a cut. */
static void pci_cma_doe_full_buffer_is_truncation(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pci_cma_kunit_doe_received(4104, 4104), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pci_cma_kunit_doe_received(8, 8), -EMSGSIZE);
}

static void pci_cma_doe_errors_pass_through(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pci_cma_kunit_doe_received(-EIO, 4104), -EIO);
	KUNIT_EXPECT_EQ(test, pci_cma_kunit_doe_received(-ETIMEDOUT, 4104), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, pci_cma_kunit_doe_received(-ENXIO, 4104), -ENXIO);
}

static void pci_cma_doe_removed_device_is_not_reached(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pci_cma_kunit_exchange_removed(), -ENODEV);
}

/* A conversation past its deadline ends before the mailbox is touched. */
static void pci_cma_doe_late_exchange_is_not_sent(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pci_cma_kunit_exchange_late(), -ETIMEDOUT);
}

static struct kunit_case pci_cma_doe_cases[] = {
	KUNIT_CASE(pci_cma_doe_response_that_fits),
	KUNIT_CASE(pci_cma_doe_full_buffer_is_truncation),
	KUNIT_CASE(pci_cma_doe_errors_pass_through),
	KUNIT_CASE(pci_cma_doe_removed_device_is_not_reached),
	KUNIT_CASE(pci_cma_doe_late_exchange_is_not_sent),
	{}
};

static struct kunit_suite pci_cma_doe_suite = {
	.name = "pci_cma_doe",
	.test_cases = pci_cma_doe_cases,
};

kunit_test_suite(pci_cma_doe_suite);
