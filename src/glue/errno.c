// SPDX-License-Identifier: GPL-2.0
/*
 * The one place where engine error codes become errnos. The numbers follow
 * enum class cma::Errc in src/engine/base/error.h.
 */
#include <linux/errno.h>

#include "glue.h"

/**
 * pci_cma_errno() - the errno for an engine error code
 * @engine_error: struct pci_cma_auth_result.error
 *
 * Return: 0 for success; -EPROTO for a device that broke the protocol
 * (truncated, trailing bytes, invalid field, overflow, wrong response);
 * -EREMOTEIO for an SPDM ERROR from the device; -EKEYREJECTED for a
 * signature or a chain digest that does not verify; -EOPNOTSUPP for nothing
 * in common; -ETIMEDOUT when the device kept us waiting; -EIO when the
 * mailbox failed; -ENOMEM and -ENOSPC for our own limits; -EINVAL otherwise.
 */
int pci_cma_errno(u16 engine_error)
{
	switch (engine_error) {
	case 0:
		return 0;
	case 1:		/* kTruncated */
	case 2:		/* kTrailingBytes */
	case 3:		/* kInvalidField */
	case 4:		/* kOverflow */
	case 8:		/* kWrongResponse */
		return -EPROTO;
	case 5:		/* kNoMemory */
		return -ENOMEM;
	case 6:		/* kNoSpace */
		return -ENOSPC;
	case 9:		/* kSpdmError */
		return -EREMOTEIO;
	case 10:	/* kUnsupported */
		return -EOPNOTSUPP;
	case 11:	/* kVerifyFailed */
	case 12:	/* kMismatch */
		return -EKEYREJECTED;
	case 13:	/* kTimeout */
		return -ETIMEDOUT;
	case 14:	/* kTransport */
		return -EIO;
	}
	return -EINVAL;
}
