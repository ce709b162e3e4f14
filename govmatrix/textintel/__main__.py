from govmatrix.textintel.cli import main

raise SystemExit(main())
