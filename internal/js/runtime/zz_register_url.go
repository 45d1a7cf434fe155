package runtime

func init() { bindingTable["url"] = bindURL }
