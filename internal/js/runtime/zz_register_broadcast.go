package runtime

func init() { bindingTable["broadcast"] = bindBroadcast }
