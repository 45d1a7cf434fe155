package runtime

func init() { bindingTable["vm"] = bindVM }
