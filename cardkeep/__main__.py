from cardkeep.cli import main

main()
