from mockwish.cli import main

main()
