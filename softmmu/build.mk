# softmmu: objects this directory adds to tern
