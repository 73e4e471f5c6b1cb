//! The playground's state machine as yew's reducer: [`Store`] holds
//! [`crate::playground::state::State`] and applies [`Action`]s with
//! [`crate::playground::state::reduce`], so every change is the tested native logic.

use std::rc::Rc;

use yew::prelude::*;

use crate::playground::state::{reduce, Action, State};

/// The app's state in yew's reducer. Each change makes a new `Rc<State>`, so a component can
/// tell "changed" by identity without comparing whole documents.
#[derive(Clone, Debug)]
pub struct Store(pub Rc<State>);

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let inner = Rc::try_unwrap(self).map_or_else(|rc| rc.0.clone(), |s| s.0);
        let mut state = Rc::try_unwrap(inner).unwrap_or_else(|rc| (*rc).clone());
        reduce(&mut state, action);
        Rc::new(Store(Rc::new(state)))
    }
}

/// What the components receive: a snapshot of the state (compared by identity) and the way to
/// change it.
#[derive(Clone)]
pub struct Ctx {
    pub state: Rc<State>,
    pub dispatcher: UseReducerDispatcher<Store>,
}

impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

impl Ctx {
    pub fn new(store: &UseReducerHandle<Store>) -> Ctx {
        Ctx {
            state: store.0.clone(),
            dispatcher: store.dispatcher(),
        }
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn dispatch(&self, action: Action) {
        self.dispatcher.dispatch(action);
    }

    /// A callback dispatching the action `f` makes from an event.
    pub fn callback<E: 'static>(&self, f: impl Fn(E) -> Action + 'static) -> Callback<E> {
        let d = self.dispatcher.clone();
        Callback::from(move |e| d.dispatch(f(e)))
    }
}
