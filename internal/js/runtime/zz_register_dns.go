package runtime

func init() { bindingTable["dns"] = bindDNS }
