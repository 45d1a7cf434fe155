package runtime

func init() { bindingTable["zlib"] = bindZlib }
