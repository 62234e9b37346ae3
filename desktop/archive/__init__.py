"""The year's archive volumes (立卷) and the handover to a new secretary (issue 21): ``volumes`` builds one PDF per
volume from the printouts (``desktop.printing``, the same builders ``branchdesk print`` uses) and the filed scans,
``manifest`` writes and verifies the manifest (Qt-free), ``handover`` makes the 交接 package."""
