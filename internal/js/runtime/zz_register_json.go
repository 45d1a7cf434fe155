package runtime

func init() { bindingTable["json"] = bindJSON }
