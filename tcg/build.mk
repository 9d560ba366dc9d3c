# tcg: objects this directory adds to tern
