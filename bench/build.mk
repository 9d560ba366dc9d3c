# bench: objects this directory adds to tern
