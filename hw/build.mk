# hw: objects this directory adds to tern
