from plandocs.cli import main

main()
