// SPDX-License-Identifier: GPL-2.0
/*
 * cma_test_pm_driver: a PCI driver that behaves as amdgpu and xe do on
 * unbind, for the same-device suite: probe() registers a PM notifier and
 * remove() unregisters it. unregister_pm_notifier() takes the PM notifier
 * chain's lock, so a containment that unbinds this driver from inside a PM
 * notifier never returns, and the resume with it. It matches no device by
 * itself; the test binds it with driver_override. It also lets the PCI core
 * runtime-suspend the function (to D3hot) once user space allows it
 * (power/control = auto), as any driver with runtime PM does. Its resume
 * callback logs the command register it finds, so the suites can tell
 * whether a device was checked, and quiesced if it differs, before its
 * driver resumed. With reset_in_suspend set, its suspend callback resets
 * the function, as a driver that leaves its device clean for sleep does:
 * the re-check that reset asks for must wait until the system runs again.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/suspend.h>

static bool reset_in_suspend;
module_param(reset_in_suspend, bool, 0644);
MODULE_PARM_DESC(reset_in_suspend, "Reset the function in the suspend callback");

struct cma_test_pm {
	struct notifier_block nb;
};

static int cma_test_pm_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	return NOTIFY_OK;
}

static int cma_test_pm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct cma_test_pm *t = devm_kzalloc(&pdev->dev, sizeof(*t), GFP_KERNEL);
	int rc;

	if (!t)
		return -ENOMEM;
	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;
	pci_set_master(pdev);
	t->nb.notifier_call = cma_test_pm_notify;
	rc = register_pm_notifier(&t->nb);
	if (rc)
		return rc;
	pci_set_drvdata(pdev, t);
	/* The PCI core holds a runtime-PM reference across probe: drop it. */
	pm_runtime_put_noidle(&pdev->dev);
	pci_info(pdev, "cma_test_pm_driver bound\n");
	return 0;
}

static void cma_test_pm_remove(struct pci_dev *pdev)
{
	struct cma_test_pm *t = pci_get_drvdata(pdev);

	/* ... and expects it back before remove() returns. */
	pm_runtime_get_noresume(&pdev->dev);
	unregister_pm_notifier(&t->nb);
	pci_info(pdev, "cma_test_pm_driver unbound\n");
}

static int cma_test_pm_resume(struct device *d)
{
	struct pci_dev *pdev = to_pci_dev(d);
	u16 command = 0;

	pci_read_config_word(pdev, PCI_COMMAND, &command);
	pci_info(pdev, "cma_test_pm_driver resume: command 0x%04x\n", command);
	return 0;
}

static int cma_test_pm_suspend(struct device *d)
{
	struct pci_dev *pdev = to_pci_dev(d);

	/* The PM core holds the device lock across this callback. */
	if (READ_ONCE(reset_in_suspend))
		pci_info(pdev, "cma_test_pm_driver suspend: function reset %d\n",
			 pci_reset_function_locked(pdev));
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(cma_test_pm_ops, cma_test_pm_suspend, cma_test_pm_resume);

static const struct pci_device_id cma_test_pm_ids[] = {
	{ }
};

static struct pci_driver cma_test_pm_driver = {
	.name = "cma_test_pm_driver",
	.id_table = cma_test_pm_ids,
	.probe = cma_test_pm_probe,
	.remove = cma_test_pm_remove,
	.driver.pm = pm_sleep_ptr(&cma_test_pm_ops),
};
module_pci_driver(cma_test_pm_driver);

MODULE_DESCRIPTION("Test PCI driver that unregisters a PM notifier on unbind");
MODULE_LICENSE("GPL");
