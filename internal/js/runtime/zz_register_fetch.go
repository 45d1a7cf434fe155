package runtime

func init() { bindingTable["fetch"] = bindFetch }
