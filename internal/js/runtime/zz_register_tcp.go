package runtime

func init() { bindingTable["tcp"] = bindTCP }
