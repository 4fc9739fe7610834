// SPDX-License-Identifier: GPL-2.0
/*
 * doe-exchange: a guest-side test tool that sends one CMA object through a
 * device's DOE mailbox from user space, via the device's sysfs config file,
 * and prints the response. It lets a guest test reach the emulated SPDM
 * responder end to end (guest -> QEMU DOE -> socket -> responder) without
 * any kernel SPDM code. The kernel leaves the mailbox idle after its
 * discovery at enumeration, so nothing else uses it meanwhile.
 *
 * Usage: doe-exchange /sys/bus/pci/devices/DBDF HEXBYTES
 * Prints the response's SPDM bytes in hex (padding included).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DOE_CAP_ID 0x2e
#define DOE_CTRL 0x08
#define DOE_STATUS 0x0c
#define DOE_WRITE 0x10
#define DOE_READ 0x14
#define DOE_CTRL_GO (1u << 31)
#define DOE_STATUS_BUSY (1u << 0)
#define DOE_STATUS_ERROR (1u << 2)
#define DOE_STATUS_READY (1u << 31)

static int config_fd;

static uint32_t rd(unsigned int offset)
{
	uint32_t v = 0;

	if (pread(config_fd, &v, 4, offset) != 4) {
		perror("doe-exchange: config read");
		exit(1);
	}
	return v;
}

static void wr(unsigned int offset, uint32_t v)
{
	if (pwrite(config_fd, &v, 4, offset) != 4) {
		perror("doe-exchange: config write");
		exit(1);
	}
}

static int wait_status(unsigned int cap, uint32_t want, uint32_t set)
{
	for (int i = 0; i < 2000; i++) {
		uint32_t status = rd(cap + DOE_STATUS);

		if (status & DOE_STATUS_ERROR)
			return -1;
		if ((status & want) == set)
			return 0;
		usleep(1000);
	}
	return -1;
}

int main(int argc, char **argv)
{
	char path[512];
	unsigned int cap = 0x100;
	uint8_t req[4096] = { 0 };
	size_t len = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: doe-exchange DEVICE-DIR HEXBYTES\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/config", argv[1]);
	config_fd = open(path, O_RDWR);
	if (config_fd < 0) {
		perror("doe-exchange: open config");
		return 1;
	}
	/* Walk the extended capabilities for DOE. */
	while (cap) {
		uint32_t header = rd(cap);

		if ((header & 0xffff) == DOE_CAP_ID)
			break;
		cap = header >> 20;
	}
	if (!cap) {
		fprintf(stderr, "doe-exchange: no DOE capability\n");
		return 1;
	}
	for (const char *p = argv[2]; p[0] && p[1] && len < sizeof(req); p += 2)
		sscanf(p, "%2hhx", &req[len++]);

	if (wait_status(cap, DOE_STATUS_BUSY, 0)) {
		fprintf(stderr, "doe-exchange: mailbox busy or in error\n");
		return 1;
	}
	/* Header: vendor PCI-SIG, type 1 (CMA); length in dwords. */
	size_t dwords = 2 + (len + 3) / 4;

	wr(cap + DOE_WRITE, 0x00010001);
	wr(cap + DOE_WRITE, (uint32_t)dwords);
	for (size_t i = 0; i < len; i += 4) {
		uint32_t v;

		memcpy(&v, req + i, 4);
		wr(cap + DOE_WRITE, v);
	}
	wr(cap + DOE_CTRL, DOE_CTRL_GO);
	if (wait_status(cap, DOE_STATUS_READY, DOE_STATUS_READY)) {
		fprintf(stderr, "doe-exchange: no response\n");
		return 1;
	}
	uint32_t h0 = rd(cap + DOE_READ);

	wr(cap + DOE_READ, 0);
	uint32_t h1 = rd(cap + DOE_READ);

	wr(cap + DOE_READ, 0);
	size_t total = h1 & 0x3ffff;

	if (h0 != 0x00010001 || total < 2) {
		fprintf(stderr, "doe-exchange: bad response header %08x %08x\n", h0, h1);
		return 1;
	}
	for (size_t i = 2; i < total; i++) {
		uint32_t v = rd(cap + DOE_READ);

		wr(cap + DOE_READ, 0);
		for (int b = 0; b < 4; b++)
			printf("%02x", (v >> (8 * b)) & 0xff);
	}
	printf("\n");
	return 0;
}
